/**
 * Refuse anything above 120 megapixels before decoding: the header's dimensions are checked
 * first, so a decompression bomb costs a few bytes of reading, not gigabytes of pixels. The
 * workstation's derivatives and the letter's key image (on either program) use the same limit.
 */
export const MAX_INPUT_PIXELS = 120_000_000;
