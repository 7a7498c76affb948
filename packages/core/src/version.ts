/** nnsym's version, recorded in every result. Kept equal to the packages' version by a test. */
export const NNSYM_VERSION = '0.1.0';
