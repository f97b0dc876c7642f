// Keeps the tabs of one browser in step: signing out in one signs out the others, signing in
// in one signs in the others, and refreshes never race each other.

/** SessionEvent is what one tab tells the others. */
export type SessionEvent = 'signed-in' | 'signed-out';

const channelName = 'gatehouse:session';

// A channel hears every other channel object of the same name, this tab's included, so each
// message says which tab sent it and a tab ignores its own.
const thisTab = Math.random().toString(36).slice(2) + Date.now().toString(36);

interface Message {
  event: SessionEvent;
  from: string;
}

function isMessage(data: unknown): data is Message {
  if (typeof data !== 'object' || data === null) return false;
  const { event, from } = data as Partial<Record<keyof Message, unknown>>;
  return (event === 'signed-in' || event === 'signed-out') && typeof from === 'string';
}

/** listenToOtherTabs calls onEvent for each event another tab announces; returns a stop function. */
export function listenToOtherTabs(onEvent: (event: SessionEvent) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (message: MessageEvent<unknown>) => {
    if (isMessage(message.data) && message.data.from !== thisTab) onEvent(message.data.event);
  };
  return () => channel.close();
}

/** tellOtherTabs announces an event to every other tab of this origin. */
export function tellOtherTabs(event: SessionEvent): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(channelName);
  channel.postMessage({ event, from: thisTab } satisfies Message);
  channel.close();
}

/**
 * oneTabAtATime runs task while holding a lock shared by this origin's tabs (the Web Locks
 * API), so two tabs never present the same refresh cookie at once. Where the API is missing it
 * just runs the task; the server's grace window then covers the race.
 */
export function oneTabAtATime<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return task();
  // The lock resolves with the task's result; TypeScript's DOM types wrap it in a second Promise.
  return navigator.locks.request('gatehouse:refresh', task) as Promise<T>;
}
