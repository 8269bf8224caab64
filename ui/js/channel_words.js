// What a channel's key problem means, in the same words in Compose and in Settings.

/** {state, short, title, hint} for a channel whose key does not work, or null. */
export function problemWords(channel) {
  if (channel.practice) return null;
  if (channel.keyProblem === 'deprecated') {
    return {
      state: 'Key replaced in Octopods',
      short: 'key replaced in Octopods',
      title: `The API key of “${channel.name}” was replaced or revoked in Octopods, so messages from this channel are not sent.`,
      hint: 'Copy the current key from the channel’s page in Octopods (Settings › SMS channel › API key).',
    };
  }
  if (channel.keyProblem === 'unauthorized') {
    return {
      state: 'Key not accepted',
      short: 'key not accepted',
      title: `Octopods did not accept the API key of “${channel.name}”, so messages from this channel are not sent.`,
      hint: 'Copy the key again from Octopods (Settings › SMS channel › API key).',
    };
  }
  if (channel.hasKey === false) {
    return {
      state: 'No key yet',
      short: 'no key yet',
      title: `No API key is saved for “${channel.name}” yet, so nothing can be sent from it.`,
      hint: 'Copy the key from the channel’s page in Octopods (Settings › SMS channel › API key).',
    };
  }
  return null;
}
