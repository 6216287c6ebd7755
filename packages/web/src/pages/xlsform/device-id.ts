/**
 * The identifier of this browser for the XLSForm `deviceid` metadata: made once at random and kept in the browser's
 * local storage (`marsad.deviceId`), so that answers saved from the same browser carry the same identifier, as a
 * phone's do in ODK Collect. Nothing about the device is read. Without local storage (a private window that refuses
 * it), an identifier for this page's life.
 */
const KEY = 'marsad.deviceId';
let fallback: string | null = null;

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `marsad:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function deviceId(): string {
  try {
    const kept = localStorage.getItem(KEY);
    if (kept) return kept;
    const id = randomId();
    localStorage.setItem(KEY, id);
    return id;
  } catch {
    fallback ??= randomId();
    return fallback;
  }
}
