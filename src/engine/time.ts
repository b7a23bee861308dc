/**
 * RFC 3339 date-times (LANGUAGE.md §1: a request's `time`, and request fields of type timestamp):
 * parsed by hand, without a regular expression or a Date object until the end, because every
 * request without a remembered time goes through it.
 */

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}

/** The number of `n` decimal digits at `i`, or -1. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * An RFC 3339 date-time (`2026-11-24T10:00:00Z`, `…t10:00:00.5+01:00`, a space for `T`) →
 * epoch milliseconds, or undefined when it is not one. Hand-written (no regular expression, no
 * Date object until the end): every request without a cached time goes through it.
 */
export function parseTime(s: string): number | undefined {
  if (s === lastText) return lastTime;
  const t = scanTime(s, true);
  lastText = s;
  lastTime = t;
  return t;
}

/** The last string parseTime parsed and its result: a runtime fills in the same time for every request of a millisecond. */
let lastText = "";
let lastTime: number | undefined;

/** Whether `s` is an RFC 3339 date-time (parseTime without the arithmetic, and without a number to allocate). */
export function isTime(s: string): boolean {
  if (s === lastChecked) return lastValid;
  lastValid = scanTime(s, false) !== undefined;
  lastChecked = s;
  return lastValid;
}

let lastChecked = "";
let lastValid = false;

/** parseTime when `value`, else 0 for a date-time (undefined for anything else either way). */
function scanTime(s: string, value: boolean): number | undefined {
  const n = s.length;
  if (n < 20 || n > 40) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const sep = s.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    // Second 60 is a leap second; it counts as the last millisecond of its minute.
    second < 0 ||
    second > 60 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      if (i - start < 3) ms = ms * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    const count = i - start;
    if (count === 0 || count > 9) return undefined;
    for (let k = count; k < 3; k++) ms *= 10;
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return undefined;
  } else if (z === 43 || z === 45) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58 || oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60_000 * (z === 45 ? -1 : 1);
  } else {
    return undefined;
  }
  if (!value) return 0;
  const leap = second === 60;
  const clock = hour * 3_600_000 + minute * 60_000 + (leap ? 59_999 : second * 1000 + ms);
  return daysFromCivil(year, month, day) * 86_400_000 + clock - offset;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`): integer
 * arithmetic instead of `Date.UTC`, which costs more than the rest of `parseTime` together and
 * maps years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Where a request value holds timestamps that must be converted: `"t"` a timestamp, `{ l }` a
 * list, `{ m }` a map, `{ o }` an object's fields. Only paths that lead to a timestamp appear.
 * Plain JSON, so the compiled module embeds it as a literal.
 */
