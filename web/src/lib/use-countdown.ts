import { useCallback, useEffect, useState } from 'react';

/** secondsUntil is the whole seconds left before `deadline` (rounded up), never below 0. */
function secondsUntil(deadline: number): number {
  return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
}

/**
 * useCountdown counts down to a deadline. `start(seconds)` (re)starts it; `secondsLeft` is 0
 * when idle or done. It keeps one timeout at a time, aimed at the next whole-second change,
 * and reads the clock at every tick rather than counting ticks: a background tab whose timers
 * the browser throttles still shows the right number when it wakes.
 */
export function useCountdown(): { secondsLeft: number; start: (seconds: number) => void } {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);

  useEffect(() => {
    if (deadline === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      const left = secondsUntil(deadline);
      if (left === 0) return;
      // The number next changes when the time left drops below (left - 1) seconds.
      const untilChange = deadline - Date.now() - (left - 1) * 1000;
      timer = setTimeout(tick, Math.max(1, untilChange));
    };
    const tick = () => {
      const left = secondsUntil(deadline);
      setSecondsLeft(left);
      if (left === 0) setDeadline(null);
      else schedule();
    };
    schedule();
    return () => clearTimeout(timer);
  }, [deadline]);

  const start = useCallback((seconds: number) => {
    const whole = Math.max(0, Math.ceil(seconds));
    setSecondsLeft(whole);
    setDeadline(whole > 0 ? Date.now() + whole * 1000 : null);
  }, []);

  return { secondsLeft, start };
}
