// The parts of zxcvbn 4.4.2 (CommonJS, no bundled types) that strength.ts uses.
declare module 'zxcvbn' {
  interface ZxcvbnResult {
    score: 0 | 1 | 2 | 3 | 4;
    guesses: number;
    feedback: { warning: string; suggestions: string[] };
  }
  function zxcvbn(password: string, userInputs?: string[]): ZxcvbnResult;
  export default zxcvbn;
}

declare module 'zxcvbn/lib/scoring' {
  const scoring: { REFERENCE_YEAR: number };
  export default scoring;
}

declare module 'zxcvbn/lib/frequency_lists' {
  const lists: Record<string, string[]>;
  export default lists;
}

declare module 'zxcvbn/lib/matching' {
  const matching: {
    enumerate_l33t_subs: (table: Record<string, string[]>) => Record<string, string>[];
    dictionary_match: (this: unknown, ...args: unknown[]) => { rank: unknown }[];
  };
  export default matching;
}
