import { randomInt } from 'node:crypto';

/**
 * heat/common/password_gen.py over the system's CSPRNG: a string with at least `min` characters
 * from each class, filled from the union of the classes, then shuffled.
 */

export const CHARACTER_CLASSES = [
  'lettersdigits',
  'letters',
  'lowercase',
  'uppercase',
  'digits',
  'hexdigits',
  'octdigits',
] as const;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

const MEMBERS: Record<(typeof CHARACTER_CLASSES)[number], string> = {
  lettersdigits: LOWER + UPPER + DIGITS,
  letters: LOWER + UPPER,
  lowercase: LOWER,
  uppercase: UPPER,
  digits: DIGITS,
  hexdigits: DIGITS + 'ABCDEF',
  octdigits: '01234567',
};

export interface CharClass {
  chars: string[];
  min: number;
}

export function namedCharClass(name: string, min: number): CharClass {
  const members = Object.hasOwn(MEMBERS, name)
    ? MEMBERS[name as keyof typeof MEMBERS]
    : MEMBERS.lettersdigits;
  return { chars: [...new Set(members)], min };
}

/** A class of the given characters (each counted once, as Heat's frozenset does). */
export function specialCharClass(chars: string, min: number): CharClass {
  return { chars: [...new Set(chars)], min };
}

export function generatePassword(length: number, classes: CharClass[]): string {
  const picked: string[] = [];
  const all = new Set<string>();
  for (const c of classes) {
    for (const ch of c.chars) all.add(ch);
    if (c.chars.length === 0) continue;
    for (let i = 0; i < c.min; i++) picked.push(choice(c.chars));
  }
  const combined = [...all];
  while (picked.length < length && combined.length > 0) picked.push(choice(combined));
  // random.sample(picked, length): a shuffle, cut to the length.
  for (let i = picked.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  return picked.slice(0, length).join('');
}

/** generate_openstack_password: a Keystone user's password of 32. */
export function generateOpenstackPassword(): string {
  return generatePassword(32, [
    namedCharClass('lowercase', 1),
    namedCharClass('uppercase', 1),
    namedCharClass('digits', 1),
    specialCharClass('!@#%^&*', 1),
  ]);
}

function choice(chars: string[]): string {
  return chars[randomInt(chars.length)]!;
}
