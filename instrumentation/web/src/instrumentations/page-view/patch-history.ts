type HistoryLike = Pick<History, 'pushState' | 'replaceState'>;

/**
 * Wraps history.pushState/replaceState to call `onChange` after each successful call.
 * The returned function restores the originals (or, if another library wrapped ours since,
 * turns ours into a pass-through so their wrapper keeps working).
 */
export function patchHistory(history: HistoryLike, onChange: () => void): () => void {
  const restores = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name];
    let on = true;
    const wrapped: History['pushState'] = function (this: History, ...args) {
      const result = original.apply(this, args);
      if (on) onChange();
      return result;
    };
    history[name] = wrapped;
    return () => {
      on = false;
      if (history[name] === wrapped) history[name] = original;
    };
  });
  return () => restores.forEach((restore) => restore());
}
