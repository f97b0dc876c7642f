import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCountdown } from './use-countdown';

describe('useCountdown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-12-01T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts down once a second and stops at zero', () => {
    const { result } = renderHook(() => useCountdown());
    expect(result.current.secondsLeft).toBe(0);

    act(() => result.current.start(3));
    expect(result.current.secondsLeft).toBe(3);
    expect(vi.getTimerCount()).toBe(1);

    act(() => {
      vi.advanceTimersByTime(999);
    });
    expect(result.current.secondsLeft).toBe(3);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(result.current.secondsLeft).toBe(2);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current.secondsLeft).toBe(1);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current.secondsLeft).toBe(0);
    // Done: nothing left ticking.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads the clock rather than counting ticks, so a throttled tab catches up', () => {
    const { result } = renderHook(() => useCountdown());
    act(() => result.current.start(30));
    // The browser held the tab's timers back while the clock ran on for 20 seconds.
    vi.setSystemTime(Date.now() + 20_000);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current.secondsLeft).toBe(9);
  });

  it('restarts with a new wait, keeping a single timer', () => {
    const { result } = renderHook(() => useCountdown());
    act(() => result.current.start(5));
    act(() => {
      vi.advanceTimersByTime(2000);
    });
    act(() => result.current.start(10));
    expect(result.current.secondsLeft).toBe(10);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('clears its timer on unmount', () => {
    const { result, unmount } = renderHook(() => useCountdown());
    act(() => result.current.start(5));
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a zero wait as no wait', () => {
    const { result } = renderHook(() => useCountdown());
    act(() => result.current.start(0));
    expect(result.current.secondsLeft).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
