/**
 * 18-character Salesforce ids: key prefix + instance/counter digits + the 3-character case-safe suffix
 * Salesforce computes from the capitalisation of the first 15 characters.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** Ids increase with n, so ordering by Id is ordering by creation as in a real org. */
export function salesforceId(keyPrefix: string, n: number): string {
  const body = `${keyPrefix}5g00000${n.toString(36).toUpperCase().padStart(5, '0')}`;
  if (body.length !== 15) throw new Error(`id counter overflow for ${keyPrefix}: ${n}`);
  return body + caseSafeSuffix(body);
}

/** Salesforce accepts 15- and 18-character ids alike; the sandbox stores 18. */
export function normalizeId(id: string): string {
  return id.length === 15 ? id + caseSafeSuffix(id) : id;
}
