/**
 * How long the model reasoned: from the first piece of reasoning to the first piece of the answer's
 * text after it, on the request's clock (the `timers` a test injects).
 *
 * @internal
 */
export class ReasoningTime {
  #firstText: number | null = null;
  #start: number | null = null;
  #end: number | null = null;

  constructor(readonly now: () => number) {}

  /** Reasoning arrived. */
  reasoning(): void {
    this.#start ??= this.now();
  }

  /** Answer text arrived. */
  text(): void {
    if (this.#firstText !== null && (this.#start === null || this.#end !== null)) return;
    const now = this.now();
    this.#firstText ??= now;
    if (this.#start !== null) this.#end = now;
  }

  /** The text so far turned out to be reasoning (a closing think tag with no opening one): the reasoning began with it, and the answer has yet to. */
  textWasReasoning(): void {
    this.#start = Math.min(this.#start ?? Infinity, this.#firstText ?? this.now());
    this.#end = null;
  }

  /** The milliseconds, once the answer's text followed the reasoning; `undefined` before, and when there is no `reasoning`. */
  known(reasoning: string): number | undefined {
    return reasoning === '' || this.#start === null || this.#end === null ? undefined : Math.round(this.#end - this.#start);
  }

  /** The milliseconds as the answer ends: up to its first text, or up to now when none came; `null` when there is no `reasoning`. */
  final(reasoning: string): number | null {
    if (reasoning === '' || this.#start === null) return null;
    return Math.round((this.#end ?? this.now()) - this.#start);
  }
}
