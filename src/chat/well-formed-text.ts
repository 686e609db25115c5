/** Any UTF-16 code unit that is half of a surrogate pair without its other half (the `u` flag keeps pairs whole). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Where a text stops being valid Unicode (-1: it is). A lone surrogate cannot be stored as it was acknowledged:
 * BSON is UTF-8, where it becomes U+FFFD, so the database would hold another text than the one broadcast.
 */
export function loneSurrogateAt(value: string): number {
  return value.search(LONE_SURROGATE);
}
