/**
 * The original ONNX model run in float by onnxruntime (the wasm build of `onnxruntime-web`, which
 * runs offline in Node): the independent reference the import is checked against (`verify-import`
 * and the importer's tests). One thread: the machine's cores belong to the protocol's parties.
 */
import * as ort from 'onnxruntime-web';
import { ModelImportError } from '../errors.ts';
import { withOutput, type OnnxIo } from './read-onnx.ts';

ort.env.wasm.numThreads = 1;

export class OnnxRuntimeModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly io: OnnxIo,
  ) {}

  /**
   * A session on the model's bytes (already read by the importer), fed and read where `io` says: the
   * logits tensor becomes the graph's output, so a dropped final Softmax is dropped here too.
   */
  static async create(bytes: Uint8Array, io: OnnxIo, source: string): Promise<OnnxRuntimeModel> {
    try {
      return new OnnxRuntimeModel(await ort.InferenceSession.create(withOutput(bytes, io.logits)), io);
    } catch (error) {
      throw new ModelImportError(source, [{ node: '', op: '', problem: `onnxruntime cannot load it: ${(error as Error).message}`, fix: 'check the model with onnx.checker' }], { cause: error });
    }
  }

  /** The logits on one float input. */
  async run(x: Float64Array): Promise<Float64Array> {
    const feed = new ort.Tensor('float32', Float32Array.from(x), [...this.io.input.dims]);
    const results = await this.session.run({ [this.io.input.name]: feed });
    const output = results[this.io.logits]!;
    try {
      return Float64Array.from(output.data as Float32Array);
    } finally {
      for (const tensor of Object.values(results)) tensor.dispose();
      feed.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
