/** Bounds on hostile input, shared by the composers (segment.ts, simple.ts). */

/** Deepest collection nesting handed to yaml's composer, which recurses once (several frames) per level. */
export const MAX_NESTING = 256;
/** Problems kept per document; a junk file can otherwise yield one per character. */
export const MAX_PROBLEMS = 50;
