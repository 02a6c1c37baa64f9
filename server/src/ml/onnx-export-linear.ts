import onnxProto from 'onnx-proto';
import type { LinearModel } from './linear-model.ts';
import { ONNX_INPUT, ONNX_LABEL, ONNX_PROBABILITIES, onnxModel, valueInfo } from './onnx-export.ts';

const { onnx } = onnxProto;
const AttrType = onnx.AttributeProto.AttributeType;
const DataType = onnx.TensorProto.DataType;

/** Metadata key carrying the model's description, which the scorer reads back for its exact contributions. */
export const LINEAR_MODEL_METADATA = 'closewise.linear_model';

function floatTensor(name: string, values: number[]) {
  return onnx.TensorProto.create({ name, dataType: DataType.FLOAT, dims: [values.length], floatData: values });
}
function int64Tensor(name: string, values: number[]) {
  return onnx.TensorProto.create({ name, dataType: DataType.INT64, dims: [values.length], int64Data: values });
}
function node(opType: string, input: string[], output: string[], attribute: ReturnType<typeof onnx.AttributeProto.create>[] = []) {
  return onnx.NodeProto.create({ name: output[0], opType, input, output, attribute });
}
const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: AttrType.INT, i });

/**
 * The preprocessing as standard ONNX operators, into a design matrix Z [N, D]:
 * numbers: Gather → IsNaN → Where (mean) → (x − mean)·invScale, plus Cast(IsNaN) as missing indicators;
 * categoricals: each code column gathered once per level and compared (Equal) with that level's code
 * (NaN equals nothing, so a missing value has no level), plus Cast(IsNaN) as missing columns.
 */
function preprocessing(model: LinearModel) {
  const nodes: ReturnType<typeof node>[] = [];
  const initializers: ReturnType<typeof floatTensor>[] = [];
  const parts: string[] = [];
  const coefs: number[] = [];
  const { numeric, categorical } = model;
  if (numeric.length > 0) {
    initializers.push(
      int64Tensor(
        'numeric_columns',
        numeric.map((t) => t.feature),
      ),
      floatTensor(
        'numeric_means',
        numeric.map((t) => t.mean),
      ),
      floatTensor(
        'numeric_inv_scales',
        numeric.map((t) => t.invScale),
      ),
    );
    nodes.push(
      node('Gather', [ONNX_INPUT, 'numeric_columns'], ['numeric_x'], [intAttr('axis', 1)]),
      node('IsNaN', ['numeric_x'], ['numeric_missing']),
      node('Where', ['numeric_missing', 'numeric_means', 'numeric_x'], ['numeric_imputed']),
      node('Sub', ['numeric_imputed', 'numeric_means'], ['numeric_centred']),
      node('Mul', ['numeric_centred', 'numeric_inv_scales'], ['numeric_z']),
      node('Cast', ['numeric_missing'], ['numeric_indicators'], [intAttr('to', DataType.FLOAT)]),
    );
    parts.push('numeric_z', 'numeric_indicators');
    coefs.push(...numeric.map((t) => t.coef), ...numeric.map((t) => t.missingCoef));
  }
  const oneHot = categorical.filter((t) => t.coefs.length > 0);
  if (oneHot.length > 0) {
    initializers.push(
      int64Tensor(
        'level_columns',
        oneHot.flatMap((t) => t.coefs.map(() => t.feature)),
      ),
      floatTensor(
        'level_codes',
        oneHot.flatMap((t) => t.coefs.map((_, code) => code)),
      ),
    );
    nodes.push(
      node('Gather', [ONNX_INPUT, 'level_columns'], ['level_x'], [intAttr('axis', 1)]),
      node('Equal', ['level_x', 'level_codes'], ['level_hit']),
      node('Cast', ['level_hit'], ['level_one_hot'], [intAttr('to', DataType.FLOAT)]),
    );
    parts.push('level_one_hot');
    coefs.push(...oneHot.flatMap((t) => t.coefs));
  }
  if (categorical.length > 0) {
    initializers.push(
      int64Tensor(
        'categorical_columns',
        categorical.map((t) => t.feature),
      ),
    );
    nodes.push(
      node('Gather', [ONNX_INPUT, 'categorical_columns'], ['categorical_x'], [intAttr('axis', 1)]),
      node('IsNaN', ['categorical_x'], ['categorical_missing_bool']),
      node('Cast', ['categorical_missing_bool'], ['categorical_missing'], [intAttr('to', DataType.FLOAT)]),
    );
    parts.push('categorical_missing');
    coefs.push(...categorical.map((t) => t.missingCoef));
  }
  nodes.push(node('Concat', parts, ['design'], [intAttr('axis', 1)]));
  return { nodes, initializers, coefs };
}

/**
 * The logistic regression as preprocessing plus one ai.onnx.ml LinearClassifier (opset 1), LOGISTIC
 * post-transform. Two coefficient rows (−w for class 0, w for class 1) so that ONNX Runtime writes
 * probabilities [N, 2] with column 1 = σ(margin), as the tree classifier does; the scorer needs nothing new.
 */
export function linearToOnnx(model: LinearModel, metadata: Record<string, string> = {}): Uint8Array {
  const { nodes, initializers, coefs } = preprocessing(model);
  const classifier = onnx.NodeProto.create({
    name: 'closewise_logistic',
    opType: 'LinearClassifier',
    domain: 'ai.onnx.ml',
    input: ['design'],
    output: [ONNX_LABEL, ONNX_PROBABILITIES],
    attribute: [
      onnx.AttributeProto.create({ name: 'coefficients', type: AttrType.FLOATS, floats: [...coefs.map((c) => -c), ...coefs] }),
      onnx.AttributeProto.create({ name: 'intercepts', type: AttrType.FLOATS, floats: [-model.intercept, model.intercept] }),
      onnx.AttributeProto.create({ name: 'classlabels_ints', type: AttrType.INTS, ints: [0, 1] }),
      onnx.AttributeProto.create({ name: 'post_transform', type: AttrType.STRING, s: new TextEncoder().encode('LOGISTIC') }),
    ],
  });
  const graph = onnx.GraphProto.create({
    name: 'closewise',
    node: [...nodes, classifier],
    initializer: initializers,
    input: [valueInfo(ONNX_INPUT, DataType.FLOAT, ['N', model.nFeatures])],
    output: [valueInfo(ONNX_LABEL, DataType.INT64, ['N']), valueInfo(ONNX_PROBABILITIES, DataType.FLOAT, ['N', 2])],
  });
  return onnxModel(graph, { ...metadata, [LINEAR_MODEL_METADATA]: JSON.stringify(model) });
}
