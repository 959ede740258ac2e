// How the Markdown tests split an answer into the chunks a stream would bring.

/** One chunk per code point: every place a chunk can end. */
export const everyPoint = (text) => Array.from(text);

/** Chunks of 1 to 9 UTF-16 units, sized by a linear congruential generator from `seed`: the same for a seed. */
export const randomPieces = (text, seed) => {
  const pieces = [];
  let state = seed;
  for (let i = 0; i < text.length; ) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 9);
    pieces.push(text.slice(i, i + size));
    i += size;
  }
  return pieces;
};
