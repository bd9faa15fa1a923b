/**
 * The original ONNX model run in float by onnxruntime (the wasm build of `onnxruntime-web`, which
 * runs offline in Node): the independent reference the import is checked against (`verify-import`
 * and the importer's tests). One thread: the machine's cores belong to the protocol's parties.
 */
import * as ort from 'onnxruntime-web';
import { ModelImportError } from '../errors.ts';

ort.env.wasm.numThreads = 1;

export class OnnxRuntimeModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly input: { readonly name: string; readonly dims: readonly number[] },
  ) {}

  /** A session on the model's bytes, fed at `input` (the data input's name and batch-1 dims). */
  static async create(bytes: Uint8Array, input: { readonly name: string; readonly dims: readonly number[] }, source: string): Promise<OnnxRuntimeModel> {
    try {
      return new OnnxRuntimeModel(await ort.InferenceSession.create(bytes), input);
    } catch (error) {
      throw new ModelImportError(source, [{ node: '', op: '', problem: `onnxruntime cannot load it: ${(error as Error).message}`, fix: 'check the model with onnx.checker' }], { cause: error });
    }
  }

  /** The model's first output on one float input. */
  async run(x: Float64Array): Promise<Float64Array> {
    const feed = new ort.Tensor('float32', Float32Array.from(x), [...this.input.dims]);
    const results = await this.session.run({ [this.input.name]: feed });
    const output = results[this.session.outputNames[0]!]!;
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
