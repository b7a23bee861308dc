/**
 * The current time as an RFC 3339 string (`new Date().toISOString()`), made once per millisecond:
 * a guarded call needs it twice (the request's time and the record's), and formatting a date
 * costs more than the rest of recording a decision.
 */
let lastMs = Number.NaN;
let lastText = "";

export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = new Date(ms).toISOString();
  }
  return lastText;
}
