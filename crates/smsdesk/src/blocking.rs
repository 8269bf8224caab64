//! Blocking work (SQLite, the keychain, files) off the async runtime. A panic in it is an
//! error the caller returns, never a wait without end or a crash of the caller's task.

use crate::error::{Error, Result};

/// Runs `work` on the blocking pool and returns its result; a panic becomes `failed(why)`.
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
    failed: impl FnOnce(String) -> Error,
) -> Result<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(failed(format!("it stopped unexpectedly ({e})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_an_error_not_a_hang() {
        let result: Result<()> =
            off_runtime(|| panic!("the disk went away mid-check"), Error::History).await;
        assert!(
            matches!(&result, Err(Error::History(why)) if why.contains("stopped unexpectedly")),
            "{result:?}"
        );
        assert_eq!(off_runtime(|| Ok(2), Error::History).await.ok(), Some(2));
    }
}
