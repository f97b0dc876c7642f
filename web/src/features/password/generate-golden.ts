// Writes internal/password/testdata/strength-golden.tsv and canonical-runes.tsv with the
// browser's scorer (strength.ts): the files the Go and Vitest golden tests both read. Run from
// web/ after a change to the scorer, its canonical form or zxcvbn, and commit the result:
//
//   node --input-type=module -e "await (await import('vite')).runnerImport('./src/features/password/generate-golden.ts')"
//
// The corpus is generated from a fixed seed, so the same scorer writes the same files.
import { writeFileSync } from 'node:fs';
import zxcvbnLists from 'zxcvbn/lib/frequency_lists';
import { canonical, canonicalCodePoint } from './canonical';
import { type Account, loadScorer, userInputs } from './strength';

const out = new URL('../../../../internal/password/testdata/', import.meta.url);

let seed = 0x9e3779b9;
// mulberry32: a small seeded generator, so the corpus is reproducible.
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
function pick<T>(xs: readonly T[]): T {
  const x = xs[int(0, xs.length - 1)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n: number): string => String(n).padStart(2, '0');
const fromRange = (lo: number, hi: number, n: number): string =>
  Array.from({ length: n }, () => String.fromCodePoint(int(lo, hi))).join('');

const list = (name: string, n: number): string[] => (zxcvbnLists[name] ?? []).slice(0, n);
const passwords = list('passwords', 3000);
const english = list('english_wikipedia', 5000);
const female = list('female_names', 1000);
const male = list('male_names', 800);
const surnames = list('surnames', 2000);

const scripts: Record<string, string[]> = {
  greek: ['κωδικός', 'αγάπη', 'ελλάδα', 'θάλασσα', 'καλημέρα', 'ουρανός', 'φίλος', 'ήλιος', 'Αθήνα', 'ζωή', 'ΟΔΥΣΣΕΥΣ'],
  cyrillic: [
    'пароль',
    'любовь',
    'привет',
    'солнце',
    'москва',
    'наташа',
    'котик',
    'спасибо',
    'йогурт',
    'ёжик',
    'ПАРОЛЬ',
  ],
  cjk: ['密码', '你好', '北京', '上海', '我爱你', '中国', '東京', '日本', '学生', '春夏秋冬'],
  kana: [
    'ぱすわーど',
    'さくら',
    'こんにちは',
    'ありがとう',
    'ねこ',
    'カタカナ',
    'パスワード',
    'トウキョウ',
    'ひらがな',
  ],
  arabic: ['كلمة', 'مرحبا', 'سلام', 'حب', 'القاهرة', 'محمد', 'شكرا'],
  hebrew: ['סיסמה', 'שלום', 'אהבה', 'ירושלים', 'תודה', 'דוד'],
  devanagari: ['पासवर्ड', 'नमस्ते', 'भारत', 'प्यार', 'दिल्ली', 'धन्यवाद'],
  hangul: ['비밀번호', '사랑해', '서울', '안녕하세요'],
};
const ranges: Record<string, [number, number]> = {
  greek: [0x3b1, 0x3c9],
  cyrillic: [0x430, 0x44f],
  cjk: [0x4e00, 0x9fff],
  kana: [0x3041, 0x30ff],
  arabic: [0x621, 0x64a],
  hebrew: [0x5d0, 0x5ea],
  devanagari: [0x905, 0x939],
  hangul: [0xac00, 0xd7a3],
};
const emoji = ['😀', '😁', '😂', '🤣', '😃', '🐱', '🐶', '🔥', '🚀', '🍕', '❤️', '👍🏽', '🎉', '🌈', '⭐'];
const zwj = ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👩‍💻', '🧑🏿‍🚀', '👁️‍🗨️', '🇫🇷', '🇯🇵', '1️⃣', '#️⃣', '🏴‍☠️'];
const walks = [
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbn',
  'zxcvbnm',
  '1qaz2wsx',
  'qazwsx',
  'zaq12wsx',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'qweasdzxc',
  'poiuytrewq',
  '!qaz@wsx',
  'mnbvcxz',
  'plokijuh',
  '147258369',
  '159753',
  '741852963',
  'aoeuidhtns',
  ';lkjhgfdsa',
  'wsxedcrfv',
  '1234qwer',
  'qwer1234',
  '!@#$%^&*',
];

type Row = { category: string; password: string; account?: Account };
const rows: Row[] = [];
const seen = new Set<string>();
function add(category: string, password: string, account?: Account): void {
  const key = `${password}\u0000${JSON.stringify(account ?? {})}`;
  if (seen.has(key)) return;
  seen.add(key);
  rows.push(account ? { category, password, account } : { category, password });
}
function times(n: number, f: () => void): void {
  for (let i = 0; i < n; i++) f();
}

passwords.slice(0, 700).forEach((p) => add('common', p));
times(300, () => add('common', pick(passwords.slice(700))));
add('common', 'password123');
add('common', '12345678');

const year = (): number => int(1950, 2030);
times(700, () => {
  const w = pick([...passwords.slice(0, 1000), ...english.slice(0, 2000)]);
  const tail = pick([String(int(0, 99)), String(year()), '!', '123', '1!', `${year()}!`, '@', '#1', '007']);
  add('leaked', pick([w, cap(w), w.toUpperCase()]) + tail);
});

walks.forEach((w) => add('keyboard', w));
times(200, () => {
  const w = pick(walks);
  add('keyboard', pick([w + w, cap(w), w + String(int(0, 999)), w.split('').reverse().join(''), w + pick(walks)]));
});

times(400, () => {
  const [d, m, y] = [int(1, 31), int(1, 12), year()];
  const sep = pick(['', '/', '-', '.', '_', ' ']);
  const y2 = pad(y % 100);
  add(
    'dates',
    pick([
      `${pad(d)}${sep}${pad(m)}${sep}${y}`,
      `${y}${sep}${pad(m)}${sep}${pad(d)}`,
      `${pad(m)}${sep}${pad(d)}${sep}${y2}`,
      `${d}${sep}${m}${sep}${y2}`,
      `${pick(english.slice(0, 500))}${pad(d)}${pad(m)}${y}`,
    ]),
  );
});

times(400, () => {
  const n = pick([...female, ...male, ...surnames]);
  add(
    'names',
    pick([n, cap(n), `${n}${year()}`, cap(n) + String(int(1, 99)), n + pick(surnames), `${cap(n)}!${year()}`]),
  );
});

const l33t: Record<string, string[]> = {
  a: ['4', '@'],
  e: ['3'],
  i: ['1', '!'],
  o: ['0'],
  s: ['$', '5'],
  t: ['7', '+'],
};
times(400, () => {
  const w = pick([...passwords.slice(0, 1500), ...english.slice(0, 1500)]);
  const subbed = w.replace(/[aeiost]/g, (c) => (random() < 0.7 ? pick(l33t[c] ?? [c]) : c));
  add('l33t', pick([subbed, cap(subbed), subbed + String(int(0, 99))]));
});

const l33tChars = '4@8({[<3691!|7$5+%2aeiosltgbxz';
times(60, () => add('l33t', Array.from({ length: int(8, 70) }, () => pick(Array.from(l33tChars))).join('')));
add('l33t', '4@8({[<3691!|7$5+%2'.repeat(4));

times(600, () => {
  const words = Array.from({ length: int(2, 6) }, () => pick(english));
  const sep = pick([' ', '-', '', '.', '_']);
  add('passphrase', pick([words.join(sep), words.map(cap).join(sep), words.join(sep) + String(int(0, 99))]));
});

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i));
times(300, () => add('random', Array.from({ length: int(4, 24) }, () => pick(printable)).join('')));

times(350, () => {
  const first = pick([...female.slice(0, 300), ...male.slice(0, 300)]);
  const last = pick(surnames.slice(0, 1000));
  const local = pick([`${first}.${last}`, `${first}${last}`, `${first[0] ?? ''}${last}`, `${first}${int(1, 99)}`]);
  const account: Account = { email: `${local}@example.com`, firstName: cap(first), lastName: cap(last) };
  const y = year();
  add(
    'personal',
    pick([
      local,
      `${local}${y}`,
      `${cap(first)}${y}`,
      `${first}${last}`,
      `${cap(last)}${cap(first)}!`,
      `gatehouse${y}`,
      `Gatehouse!${int(1, 99)}`,
      `${local}@example.com`,
      words3(),
    ]),
    account,
  );
});
function words3(): string {
  return Array.from({ length: 3 }, () => pick(english)).join(' ');
}
const intl: Account[] = [
  { email: 'zoe@example.com', firstName: 'Zoë', lastName: 'Ødegård' },
  { email: 'nikos@example.gr', firstName: 'Νίκος', lastName: 'Παπαδόπουλος' },
  { email: 'natasha@example.ru', firstName: 'Наташа', lastName: 'Иванова' },
  { email: 'taro@example.jp', firstName: '太郎', lastName: '山田' },
  { email: 'odysseus@example.gr', firstName: 'ΟΔΥΣΣΕΥΣ', lastName: 'Λαέρτιος' },
  { email: ' José.Núñez+news@Example.com ', firstName: ' José ', lastName: 'Núñez' },
];
for (const a of intl) {
  const first = a.firstName ?? '';
  const last = a.lastName ?? '';
  for (const p of [
    first,
    first + '1990',
    first.toUpperCase() + '2024',
    last + first,
    first.toLowerCase() + '!!',
    last,
  ]) {
    add('personal', p, a);
  }
}

for (const [script, words] of Object.entries(scripts)) {
  const [lo, hi] = ranges[script] ?? [0x41, 0x5a];
  words.forEach((w) => add(script, w));
  times(50, () => {
    const w = pick(words);
    add(
      script,
      pick([
        w + String(int(0, 9999)),
        w + pick(words),
        w.repeat(int(2, 4)),
        fromRange(lo, hi, int(4, 16)),
        pick(words) + ' ' + pick(words) + ' ' + pick(words),
        cap(pick(english)) + w,
        String.fromCodePoint(lo).repeat(int(3, 12)),
      ]),
    );
  });
  const seq = Array.from({ length: 12 }, (_, i) => String.fromCodePoint(lo + i)).join('');
  for (const n of [3, 5, 8, 12]) {
    const run = Array.from(seq).slice(0, n);
    add(script, run.join(''));
    add(script, run.reverse().join(''));
  }
}

add('emoji', '😀'.repeat(8));
times(300, () => {
  const e = pick([...emoji, ...zwj]);
  add(
    'emoji',
    pick([
      e.repeat(int(2, 10)),
      Array.from({ length: int(3, 12) }, () => pick(emoji)).join(''),
      Array.from({ length: int(2, 6) }, () => pick(zwj)).join(''),
      pick(english) + e + String(int(0, 99)),
      e + pick(passwords.slice(0, 200)) + e,
      `${pick(english)} ${e} ${pick(english)}`,
    ]),
  );
});

const diacritic = (w: string): string =>
  w.replace(/[aeiouc]/g, (c) => (random() < 0.6 ? c + pick(['\u0301', '\u0308', '\u0300', '\u0302', '\u0327']) : c));
times(250, () => {
  const w = pick([...passwords.slice(0, 500), ...english.slice(0, 1000)]);
  const d = diacritic(w);
  add(
    'combining',
    pick([
      d,
      d.normalize('NFC'),
      Array.from(w, (c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.charCodeAt(0) + 0xfee0) : c)).join(''),
      w + '\u0336'.repeat(int(1, 5)),
      Array.from(w, (c) => c + '\u0335\u0337\u0489').join(''),
      '\u0301'.repeat(int(1, 10)) + w,
    ]),
  );
});
['pässwörd', 'PÄSSWÖRD', 'Mötley Crüe', 'crème brûlée', 'İstanbul', 'ǅungla', 'ﬁnance', 'Straße1990', 'ÆØÅæøå'].forEach(
  (p) => add('combining', p),
);

times(150, () => {
  const base = pick([
    Array.from({ length: int(11, 20) }, () => pick(english)).join(' '),
    Array.from({ length: int(65, 300) }, () => pick(printable)).join(''),
    pick(emoji).repeat(int(33, 100)),
    fromRange(0x4e00, 0x9fff, int(65, 200)),
    'a'.repeat(63) + pick(['😀', 'é', 'b', '\u0301', 'Ｂ']) + pick(english),
    pick(passwords) + 'x'.repeat(int(60, 1000)),
  ]);
  add('long', base);
});
add('long', 'a'.repeat(1024));
add('long', 'ab'.repeat(512));
add('long', 'correct horse battery staple '.repeat(10));

for (const p of [
  '',
  ' ',
  '        ',
  '\t\t\t\t\t\t\t\t',
  'pass\nword',
  'pass\rword12',
  '\u0001\u0002\u0003\u0004',
  '\u00a0\u00a0\u00a0\u00a0password',
  '\ufeffpassword',
  '\u200b\u200b\u200b\u200b',
  '\u2028\u2029\u2028\u2029',
  '\ud800abc\udfffdef',
  '\ufffd\ufffd\ufffd\ufffd',
  'password\u0000',
  'pass word',
  '\u3000password\u3000',
  '\u0085\u0085password',
  'µµµµµµµ',
  'ßßßßßßß1',
  'ıIiİ1234',
  'Σίσυφος',
  '\u{10ffff}\u{10fffe}\u{e0001}',
  '\u{1d400}\u{1d401}\u{1d402}\u{1d403}',
  '①②③④⑤⑥',
  '１２３４５６７８',
  // Words that are also properties of every JavaScript object: zxcvbn.js's "word of dict"
  // finds them with a function for a rank.
  'constructor2024',
  'Constructor!',
  'myvalueof99',
  'tostring',
  '__proto__x',
  'hasownproperty1',
  'toLocaleString',
  'isPrototypeOf1',
  'xconstructorx',
]) {
  add('edge', p);
}

const score = await loadScorer();
const header = [
  '# The strength golden file: every line must score alike in Go (internal/password,',
  '# TestScore_Golden) and in the browser (web/src/features/password/strength.test.ts).',
  '# Written by web/src/features/password/generate-golden.ts; do not edit by hand.',
  '# Columns: category, password, account (email, first and last name), canonical form,',
  '# score, warning, suggestions. Strings are JSON.',
];
const lines = rows.map((r) => {
  const inputs = userInputs(r.account ?? {});
  const s = score(r.password, inputs);
  return [
    r.category,
    JSON.stringify(r.password),
    JSON.stringify(r.account ?? {}),
    JSON.stringify(canonical(r.password, inputs).password),
    String(s.score),
    JSON.stringify(s.warning),
    JSON.stringify(s.suggestions),
  ].join('\t');
});
writeFileSync(new URL('strength-golden.tsv', out), [...header, ...lines, ''].join('\n'));

const runes = ['# Every code point canonicalCodePoint (strength.ts) and canonicalRune (Go) change: from, to (hex).'];
for (let c = 0; c <= 0x10ffff; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const to = canonicalCodePoint(c);
  if (to !== c) runes.push(`${c.toString(16)}\t${to.toString(16)}`);
}
writeFileSync(new URL('canonical-runes.tsv', out), [...runes, ''].join('\n'));
console.log(`${lines.length} passwords, ${runes.length - 1} folded code points`);
