/**
 * Whether JSON text `text` nests arrays and objects deeper than `max`, found by one pass over
 * its brackets outside strings, before anything parses it. Deep nesting is the input that
 * overflows the stack of every recursive walk after parsing (`JSON.stringify`, validation,
 * freezing, storage encoding), so frames and bodies are refused before any of them runs.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Each level needs one opening bracket: a shorter text cannot be deeper.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
