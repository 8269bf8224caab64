// Work asked for in bursts (the back end says something changed, many times in a row): at most
// one run at a time, and one more after it when it was asked for again meanwhile, however
// many times.

/** `task()` (a Promise) wrapped so that calls made while it runs lead to a single run after. */
export function coalesced(task) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } catch {
      // The task shows its own problems; the next change tries again.
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
  return run;
}
