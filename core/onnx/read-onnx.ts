/**
 * Decoding an ONNX file (a protobuf `ModelProto`, schema from the `onnx-proto` package) into its
 * graph, with the checks that turn a truncated, corrupted or foreign file into a clear error instead
 * of an empty or half-read graph.
 */
import onnxProto from 'onnx-proto';
import { ModelImportError } from '../errors.ts';
import { toSafeInteger } from './numbers.ts';

const { onnx } = onnxProto;
export type OnnxGraph = onnxProto.onnx.IGraphProto;
export type OnnxNode = onnxProto.onnx.INodeProto;
export type OnnxTensor = onnxProto.onnx.ITensorProto;
export type OnnxAttribute = onnxProto.onnx.IAttributeProto;

/** An ONNX model's data input (name, dims with a batch of 1) and the tensor holding its logits. */
export interface OnnxIo {
  readonly input: { readonly name: string; readonly dims: readonly number[] };
  readonly logits: string;
}

/** The default operator set's domain, under both of its spellings. */
export const DEFAULT_DOMAINS: readonly string[] = ['', 'ai.onnx'];

export interface OnnxModel {
  /** Where the model came from (a file name), for messages. */
  readonly source: string;
  readonly irVersion: number;
  /** Version of the default (ai.onnx) operator set: attributes and inputs of several operators depend on it. */
  readonly opset: number;
  readonly producer: string;
  readonly graph: OnnxGraph;
}

function unreadable(source: string, problem: string, cause?: unknown): ModelImportError {
  return new ModelImportError(source, [{ node: '', op: '', problem, fix: 'export the model again (torch.onnx.export, tf2onnx, ...) and check the file was copied completely' }], { cause });
}

/** The same model with `tensor` as its only output (the logits before a dropped Softmax, say). */
export function withOutput(bytes: Uint8Array, tensor: string): Uint8Array {
  const proto = onnx.ModelProto.decode(bytes);
  const graph = proto.graph!;
  if (graph.output?.length === 1 && graph.output[0]!.name === tensor) return bytes;
  graph.output = [onnx.ValueInfoProto.create({ name: tensor })];
  return onnx.ModelProto.encode(proto).finish();
}

/** Decode ONNX bytes; a file that is not a whole ONNX model is a `ModelImportError` naming `source`. */
export function readOnnx(bytes: Uint8Array, source: string): OnnxModel {
  if (bytes.length === 0) throw unreadable(source, 'the file is empty');
  let proto: onnxProto.onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw unreadable(source, `not a valid ONNX protobuf (truncated or corrupted: ${(error as Error).message})`, error);
  }
  const graph = proto.graph;
  if (!graph || graph.node === undefined || graph.node === null || graph.node.length === 0) {
    throw unreadable(source, 'no graph with nodes in the file (is it an ONNX model?)');
  }
  if (!proto.irVersion || proto.opsetImport.length === 0) {
    throw unreadable(source, 'the file has no IR version or operator set (is it an ONNX model?)');
  }
  const defaultSet = proto.opsetImport.find((o) => DEFAULT_DOMAINS.includes(o.domain ?? ''));
  return {
    source,
    irVersion: toSafeInteger(proto.irVersion),
    opset: defaultSet?.version == null ? 1 : toSafeInteger(defaultSet.version),
    producer: [proto.producerName, proto.producerVersion].filter((s) => s).join(' '),
    graph,
  };
}
