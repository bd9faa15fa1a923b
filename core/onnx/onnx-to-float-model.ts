/**
 * ONNX → FloatModel: the importer walks the graph's nodes in order (ONNX requires topological
 * order), evaluates the nodes that compute constants, and maps the chain from the one data input to
 * the one output onto float layers. It reports every unsupported operator, attribute or shape at
 * once (`ModelImportError.problems`) and says what the operators it skipped mean (`notices`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError, ModelFormatError, ModelImportError, type ImportProblem } from '../errors.ts';
import type { FloatModel } from '../model/float-model.ts';
import { floatLayerShapes } from '../model/float-shapes.ts';
import { checkFloatRange } from '../model/validate.ts';
import { foldConstant } from './constant-folding.ts';
import { ImportContext, nodeView, type Activation, type NodeView } from './import-context.ts';
import { ELEMENTWISE_ACTIVATIONS, OPERATORS, PAD_CONSUMERS, unsupportedOperatorFix } from './operators.ts';
import { DEFAULT_DOMAINS, readOnnx, type OnnxGraph, type OnnxIo, type OnnxModel } from './read-onnx.ts';
import { dataTypeName, decodeTensor } from './tensor.ts';

export interface OnnxImportOptions {
  /** What an 8-bit pixel v means to the model: lo + (hi − lo)·v/255 (default [0, 1]). */
  readonly inputRange?: readonly [number, number];
  /** Model name (default: the file name without `.onnx`). */
  readonly name?: string;
}

export interface OnnxImport {
  readonly model: FloatModel;
  /** Operators skipped because they change no label (Dropout, Identity, a final Softmax), one line each. */
  readonly notices: readonly string[];
  readonly opset: number;
  readonly producer: string;
  /** Where onnxruntime is fed and read to cross-check the import (onnxruntime-model.ts). */
  readonly onnxIo: OnnxIo;
}

const FLOAT = 1;

/** The one graph input that is not an initialiser (IR 3 lists initialisers among the inputs too), and its shape. */
function dataInput(graph: OnnxGraph, initialisers: ReadonlySet<string>, problems: ImportProblem[]): { name: string; shape: Activation | undefined } | undefined {
  const inputs = (graph.input ?? []).filter((i) => !initialisers.has(i.name ?? ''));
  const fail = (problem: string, fix: string) => problems.push({ node: '', op: '', problem, fix });
  if (inputs.length !== 1) {
    fail(`the graph has ${inputs.length} data inputs (${inputs.map((i) => i.name).join(', ') || 'none'})`, 'export a model with one image input');
    // The chain is followed from the first one, so the nodes' own problems are reported too.
    return inputs[0] && { name: inputs[0].name ?? '', shape: undefined };
  }
  const input = inputs[0]!;
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (tensorType?.elemType !== FLOAT) {
    fail(`input "${name}" is ${tensorType ? dataTypeName(tensorType.elemType ?? 0) : 'not a tensor'}, not float32`, 'export with a float32 image input');
    return { name, shape: undefined };
  }
  const dims = (tensorType.shape?.dim ?? []).map((d) => (d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : undefined));
  const [batch, ...rest] = dims;
  const fixedRest = rest.every((d) => d !== undefined);
  if ((batch !== undefined && batch !== 1) || !fixedRest || (rest.length !== 3 && rest.length !== 1)) {
    const shown = (tensorType.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : String(d.dimValue ?? '?'))).join(', ');
    fail(`input "${name}" has shape [${shown}], not [N, C, H, W] or [N, K] with fixed C, H, W, K and a batch of 1 or any`, 'export with a fixed image size (e.g. torch.zeros(1, 1, 28, 28))');
    return { name, shape: undefined };
  }
  const [c, h, w] = rest as number[];
  return { name, shape: rest.length === 3 ? { kind: 'image', channels: c!, height: h!, width: w! } : { kind: 'vector', size: c! } };
}

/** Node names made non-empty and unique (layers are stored under them). */
function uniqueNames(graph: OnnxGraph): string[] {
  const seen = new Set<string>();
  return (graph.node ?? []).map((node, index) => {
    let name = node.name || `${node.opType ?? 'node'}_${index}`;
    if (seen.has(name)) name = `${name}_${index}`;
    seen.add(name);
    return name;
  });
}

function countUses(graph: OnnxGraph): Map<string, number> {
  const uses = new Map<string, number>();
  const use = (name: string) => uses.set(name, (uses.get(name) ?? 0) + 1);
  for (const node of graph.node ?? []) for (const name of node.input ?? []) if (name !== '') use(name);
  for (const output of graph.output ?? []) use(output.name ?? '');
  return uses;
}

function mapNode(node: NodeView, domain: string, context: ImportContext): void {
  if (!DEFAULT_DOMAINS.includes(domain)) {
    context.problem(node, `operator domain "${domain}" is not the standard ONNX operator set`, 'export with standard ONNX operators only');
    return context.advance(node.outputs[0] ?? '', undefined);
  }
  if (foldConstant(node, context)) return;
  const activations = node.inputs.filter((name) => name !== '' && !context.constants.has(name));
  if (activations.length === 0) {
    context.problem(node, `all its inputs are constants, and ${node.op} is not evaluated at import`, 'export with constant folding (torch.onnx.export(..., do_constant_folding=True))');
    return;
  }
  const stray = activations.find((name) => name !== context.current);
  if (stray !== undefined) {
    context.problem(node, `it reads "${stray}", which is not the output of the layer before it (the graph branches or merges)`, 'only a chain of layers from the input to the output is supported (no skip connections or concatenation)');
    return;
  }
  const pending = context.pendingPad;
  if (pending && !PAD_CONSUMERS.has(node.op)) {
    context.problem(pending.node, `it is followed by ${node.op} "${node.name}", which cannot absorb padding`, 'a Pad is only supported right before a Conv, MaxPool or AveragePool');
    context.pendingPad = undefined;
  }
  const mapper = OPERATORS.get(node.op);
  if (mapper === undefined) {
    context.problem(node, `operator ${node.op} is not supported`, unsupportedOperatorFix(node.op));
    // An element-wise activation keeps the shape, so the layers after it are still checked in full.
    return context.advance(node.outputs[0] ?? '', ELEMENTWISE_ACTIVATIONS.includes(node.op) ? context.shape : undefined);
  }
  mapper(node, context);
  node.outputs.slice(1).forEach((extra, k) => {
    if (extra !== '' && context.uses(extra) > 0) {
      context.problem(node, `its output ${k + 2} ("${extra}") is used`, `only the first output of ${node.op} is supported`);
    }
  });
}

/** Map a decoded ONNX model onto a FloatModel; every problem is reported at once as one `ModelImportError`. */
export function onnxToFloatModel(onnx: OnnxModel, options: OnnxImportOptions = {}): OnnxImport {
  const range = checkFloatRange(options.inputRange ?? [0, 1], { field: 'input range' });
  const { graph } = onnx;
  const problems: ImportProblem[] = [];
  const initialisers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const input = dataInput(graph, initialisers, problems);
  const context = new ImportContext(onnx.opset, input?.name ?? '', input?.shape, countUses(graph), new Set((graph.output ?? []).map((o) => o.name ?? '')));
  context.problems.push(...problems);
  for (const tensor of graph.initializer ?? []) {
    const value = decodeTensor(tensor);
    if (typeof value === 'string') context.problems.push({ node: tensor.name ?? '', op: 'initializer', problem: `cannot read it: ${value}`, fix: 'export the model again' });
    else context.constants.set(tensor.name ?? '', value);
  }
  const names = uniqueNames(graph);
  (graph.node ?? []).forEach((node, index) => mapNode(nodeView(node, names[index]!), node.domain ?? '', context));

  if (context.pendingPad) {
    context.problem(context.pendingPad.node, 'nothing follows it that can absorb the padding', 'a Pad is only supported right before a Conv, MaxPool or AveragePool');
  }
  const outputs = [...context.graphOutputs];
  if (outputs.length !== 1) {
    context.problems.push({ node: '', op: '', problem: `the graph has ${outputs.length} outputs (${outputs.join(', ')})`, fix: 'export a model with one output (the logits)' });
  } else if (context.problems.length === 0 && outputs[0] !== context.current) {
    context.problems.push({ node: '', op: '', problem: `the graph's output "${outputs[0]}" is not the end of the chain of layers ("${context.current}")`, fix: 'export a model whose output is its last layer' });
  }
  if (context.problems.length === 0 && context.layers.length === 0) {
    context.problems.push({ node: '', op: '', problem: 'the graph has no layers', fix: 'export a model with at least one Conv, Gemm or MatMul' });
  }
  if (context.problems.length > 0) throw new ModelImportError(onnx.source, context.problems);

  const shape = input!.shape!;
  const model: FloatModel = {
    name: options.name ?? basename(onnx.source).replace(/\.onnx$/i, ''),
    input: {
      shape: shape.kind === 'image' ? { channels: shape.channels, height: shape.height, width: shape.width } : { channels: shape.size, height: 1, width: 1 },
      floatRange: [range[0], range[1]],
    },
    layers: context.layers,
  };
  try {
    floatLayerShapes(model);
  } catch (error) {
    // What the mapping cannot see node by node (a BatchNorm variance ≤ 0, say) is still the file's problem.
    if (!(error instanceof ModelFormatError)) throw error;
    const layer = context.layers.find((l) => l.name === error.where.layer);
    throw new ModelImportError(onnx.source, [{ node: layer?.name ?? '', op: layer?.kind ?? '', problem: error.message, fix: 'check the exported model' }], { cause: error });
  }
  const dims = shape.kind === 'image' ? [1, shape.channels, shape.height, shape.width] : [1, shape.size];
  const onnxIo = { input: { name: input!.name, dims }, logits: context.logitsBeforeSoftmax ?? outputs[0]! };
  return { model, notices: context.notices, opset: onnx.opset, producer: onnx.producer, onnxIo };
}

/** Read and import an ONNX file. */
export function importOnnxFile(path: string, options: OnnxImportOptions = {}): OnnxImport {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ConfigError(`cannot read ONNX file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return onnxToFloatModel(readOnnx(bytes, path), options);
}
