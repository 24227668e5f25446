// Posts that arrive close together become one request. The first post opens a batch; the batch waits
// a short window, then for its turn at the organisation's rate limit (the call gate), and every post
// arriving meanwhile joins it. The batch is sealed when its first request may go out, so under pacing
// a batch holds everything that queued while the previous requests took their turns. Each post gets
// its own outcome; a batch that fails as a whole gives every member that error.
import { setTimeout as sleep } from 'node:timers/promises';

/** What a batch run gets: `seal()` closes the batch to newcomers and returns its members; `first` is the one that opened it. */
export type BatchRun<In, Out> = (seal: () => In[], first: In) => Promise<Out[]>;

interface Batch<In, Out> {
  inputs: In[];
  waiters: { resolve: (out: Out) => void; reject: (err: unknown) => void }[];
  sealed: boolean;
}

export class Coalescer<In, Out> {
  #open?: Batch<In, Out>;

  constructor(
    private readonly run: BatchRun<In, Out>,
    private readonly options: { windowMs: number; max: number },
  ) {}

  submit(input: In): Promise<Out> {
    let batch = this.#open;
    if (!batch || batch.sealed || batch.inputs.length >= this.options.max) {
      batch = { inputs: [], waiters: [], sealed: false };
      this.#open = batch;
      // Runs in the first caller's async context, so its requests pass that caller's call gate.
      void this.#start(batch);
    }
    const joined = batch;
    return new Promise<Out>((resolve, reject) => {
      joined.inputs.push(input);
      joined.waiters.push({ resolve, reject });
    });
  }

  async #start(batch: Batch<In, Out>): Promise<void> {
    await sleep(this.options.windowMs);
    const seal = () => {
      batch.sealed = true;
      if (this.#open === batch) this.#open = undefined;
      return batch.inputs;
    };
    try {
      const outs = await this.run(seal, batch.inputs[0]!);
      seal();
      batch.waiters.forEach((w, i) => w.resolve(outs[i]!));
    } catch (err) {
      seal();
      for (const w of batch.waiters) w.reject(err);
    }
  }
}
