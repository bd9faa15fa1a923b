/** How the importer maps one ONNX operator onto the chain of float layers. */
import type { ImportContext, NodeView } from './import-context.ts';

/**
 * Maps `node` (whose non-constant input is the chain's current tensor) onto the context: emits a
 * layer, folds into the previous one, or passes through; records problems instead of throwing, and
 * always moves the chain to the node's output (with an unknown shape when it could not be mapped).
 */
export type OperatorMapper = (node: NodeView, context: ImportContext) => void;
