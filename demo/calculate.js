// The demo's `calculate` tool: arithmetic on numbers with + - * / % ^ and parentheses, read by a
// small recursive-descent parser (no eval, no Function), so that a model's expression can run
// nothing else. The page runs it for the chats; the server runs it on the AI SDK route.

/** The longest expression it reads: a model's arithmetic, not a program. */
const MAX_LENGTH = 200;
/** What the reader may type for an operator, and what it means. */
const SYNONYMS = {'×': '*', '÷': '/', '（': '(', '）': ')'};

/**
 * The value of an arithmetic expression, rounded to 12 significant digits (so `0.1+0.2` is
 * `0.3`). `^` is a power and binds tighter than a sign (`-2^2` is `-4`). Throws an Error that
 * names the problem and where it is for anything else, and for a result that is no finite
 * number (a division by zero).
 */
export function calculate(expression) {
  if (typeof expression !== 'string') throw new TypeError(`The expression must be a string (got ${typeof expression})`);
  if (expression.length > MAX_LENGTH) throw new Error(`The expression is longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(expression);
  const parser = {tokens, at: 0, expression};
  const value = sum(parser);
  if (parser.at < tokens.length) fail(parser, `unexpected "${tokens[parser.at].text}"`);
  if (!Number.isFinite(value)) throw new Error(`"${expression}" has no finite value (a division by zero?)`);
  return Number(value.toPrecision(12));
}

function tokenize(expression) {
  const tokens = [];
  const pattern = /\s*(?:(\d+(?:\.\d*)?|\.\d+)|([-+*/%^()×÷（）]))/y;
  let at = 0;
  while (at < expression.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) {
      const rest = expression.slice(at);
      if (rest.trim() === '') break;
      const position = at + rest.length - rest.trimStart().length;
      throw new Error(`"${expression}" has "${expression[position]}" at position ${position + 1}; only numbers, + - * / % ^ and parentheses are allowed`);
    }
    tokens.push(match[1] !== undefined ? {number: Number(match[1]), text: match[1]} : {operator: SYNONYMS[match[2]] ?? match[2], text: match[2]});
    at = pattern.lastIndex;
  }
  if (tokens.length === 0) throw new Error('The expression is empty');
  return tokens;
}

function fail(parser, problem) {
  throw new Error(`"${parser.expression}" cannot be read: ${problem}`);
}

/** Takes the next token when it is one of `operators`; returns the operator or undefined. */
function take(parser, operators) {
  const operator = parser.tokens[parser.at]?.operator;
  if (operator === undefined || !operators.includes(operator)) return undefined;
  parser.at++;
  return operator;
}

function sum(parser) {
  let value = product(parser);
  for (let operator; (operator = take(parser, '+-')); ) value = operator === '+' ? value + product(parser) : value - product(parser);
  return value;
}

function product(parser) {
  let value = signed(parser);
  for (let operator; (operator = take(parser, '*/%')); ) {
    const right = signed(parser);
    value = operator === '*' ? value * right : operator === '/' ? value / right : value % right;
  }
  return value;
}

function signed(parser) {
  const sign = take(parser, '+-');
  if (sign) return sign === '-' ? -signed(parser) : signed(parser);
  return power(parser);
}

function power(parser) {
  const base = operand(parser);
  // Right-associative, and the exponent may have a sign: 2^-1, 2^3^2.
  return take(parser, '^') ? base ** signed(parser) : base;
}

function operand(parser) {
  const token = parser.tokens[parser.at];
  if (token === undefined) fail(parser, 'it ends where a number or "(" should follow');
  parser.at++;
  if (token.number !== undefined) return token.number;
  if (token.operator !== '(') fail(parser, `"${token.text}" where a number or "(" should be`);
  const value = sum(parser);
  if (!take(parser, ')')) fail(parser, 'a ")" is missing');
  return value;
}
