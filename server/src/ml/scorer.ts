import { BadInputError } from '../errors/errors.ts';
import { applyCalibrationToProbability } from './calibration.ts';
import { encodeRecords } from './encode.ts';
import { parseFeatureSpec } from './feature-spec.ts';
import { linearBaseValue, linearContributions, linearMargin } from './linear-model.ts';
import { readOnnx } from './onnx-read.ts';
import { createSession, loadOrt } from './ort.ts';
import { toLevel } from './table.ts';
import { expectedValue, leafIndex } from './tree.ts';
import { TreeShap, treeDepth } from './treeshap.ts';
import { MemoizedTreeShap } from './treeshap-memo.ts';
import type { Contribution, Explanation, FeatureSpec, FeatureValue, Scorer } from './types.ts';

const BATCH = 65_536;

/** Scorer plus the lower-level entry points the CLI, tests and bench use. */
export interface MatrixScorer extends Scorer {
  /** Uncalibrated positive-class probabilities from ONNX Runtime for a row-major float32 [n, F] matrix. */
  rawProbabilities(x: Float32Array): Promise<Float64Array>;
  /** Calibrated probabilities for an encoded matrix. */
  predictMatrix(x: Float32Array): Promise<Float64Array>;
  explainMatrix(x: Float32Array, values: (i: number, f: number) => FeatureValue): Explanation[];
  /** The model input of records; levels unseen in training are counted per feature in `unseen` when given. */
  encode(rows: Record<string, FeatureValue>[], unseen?: Map<string, number>): Float32Array;
}

/**
 * Loads an ONNX binary classifier and its feature spec. Our own models and bring-your-own ones go through
 * the same path: ONNX Runtime computes probabilities; TreeSHAP reads the trees back from the file, and our
 * logistic regression is explained exactly (coef × (x − mean)) from the description its file carries.
 */
export async function loadScorer(bundle: { onnx: Uint8Array; featureSpec: FeatureSpec }): Promise<MatrixScorer> {
  const featureSpec = parseFeatureSpec(bundle.featureSpec);
  const info = readOnnx(bundle.onnx);
  const F = featureSpec.features.length;
  if (info.inputWidth !== null && info.inputWidth !== F) {
    throw new BadInputError(`the ONNX model takes ${info.inputWidth} features but the feature spec lists ${F}`);
  }
  if (!info.outputNames.includes(featureSpec.probabilityOutput)) {
    throw new BadInputError(`the ONNX model has no output '${featureSpec.probabilityOutput}' (it has ${info.outputNames.join(', ')})`);
  }
  const ort = await loadOrt();
  const session = await createSession(bundle.onnx);
  const inputName = featureSpec.inputName;
  const ensemble = info.ensemble;
  const shap = ensemble
    ? new MemoizedTreeShap(new TreeShap(Math.max(1, ...ensemble.trees.map(treeDepth))), ensemble.trees, featureSpec.features.length)
    : null;
  // Reasons say when a value is a level the model never saw (it is scored as the "other" level).
  const knownLevels = featureSpec.features.map((feature) => (feature.type === 'categorical' ? new Set(feature.levels ?? []) : null));
  const linear = info.linear;
  const base = linear
    ? linearBaseValue(linear)
    : ensemble
      ? ensemble.baseScore + ensemble.trees.reduce((sum, tree) => sum + expectedValue(tree), 0)
      : 0;

  /** Contributions of row i into phi; returns the row's margin. */
  function explainRow(x: Float32Array, i: number, phi: Float64Array): number {
    if (linear) {
      linearContributions(linear, x, i * F, phi);
      return linearMargin(linear, x, i * F);
    }
    if (!ensemble || !shap || info.notTreeReason) {
      throw new BadInputError(`explanations need a tree ensemble or our logistic regression: ${info.notTreeReason ?? 'no trees found'}`);
    }
    let margin = ensemble.baseScore;
    for (const [t, tree] of ensemble.trees.entries()) {
      shap.explainTree(t, x, i * F, phi);
      margin += tree.value[leafIndex(tree, x, i * F)] as number;
    }
    return margin;
  }

  async function rawProbabilities(x: Float32Array): Promise<Float64Array> {
    const n = x.length / F;
    const out = new Float64Array(n);
    for (let start = 0; start < n; start += BATCH) {
      const end = Math.min(n, start + BATCH);
      const tensor = new ort.Tensor('float32', x.subarray(start * F, end * F), [end - start, F]);
      const result = await session.run({ [inputName]: tensor }, [featureSpec.probabilityOutput]);
      const probabilities = result[featureSpec.probabilityOutput];
      if (!probabilities) throw new BadInputError(`the ONNX model produced no '${featureSpec.probabilityOutput}'`);
      const data = probabilities.data as Float32Array;
      const width = probabilities.dims.length > 1 ? (probabilities.dims[1] as number) : 1;
      const column = width > 1 ? featureSpec.positiveIndex : 0;
      for (let i = 0; i < end - start; i++) out[start + i] = data[i * width + column] as number;
      probabilities.dispose();
    }
    return out;
  }

  async function predictMatrix(x: Float32Array): Promise<Float64Array> {
    const raw = await rawProbabilities(x);
    if (featureSpec.calibration.method === 'none') return raw;
    for (let i = 0; i < raw.length; i++) raw[i] = applyCalibrationToProbability(featureSpec.calibration, raw[i] as number);
    return raw;
  }

  function explainMatrix(x: Float32Array, values: (i: number, f: number) => FeatureValue): Explanation[] {
    const n = x.length / F;
    const out: Explanation[] = [];
    const phi = new Float64Array(F);
    for (let i = 0; i < n; i++) {
      phi.fill(0);
      const margin = explainRow(x, i, phi);
      const contributions = featureSpec.features.map((feature, f) => {
        const contribution: Contribution = { feature: feature.name, value: values(i, f), contribution: phi[f] as number };
        const known = knownLevels[f];
        const level = known ? toLevel(contribution.value) : null;
        if (known && level !== null && !known.has(level)) contribution.unseen = true;
        return contribution;
      });
      contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
      out.push({ baseValue: base, margin, contributions });
    }
    return out;
  }

  const encode = (rows: Record<string, FeatureValue>[], unseen?: Map<string, number>) => encodeRecords(featureSpec.features, rows, unseen);
  return {
    featureSpec,
    encode,
    rawProbabilities,
    predictMatrix,
    explainMatrix,
    predict: (rows) => predictMatrix(encode(rows)),
    explain: async (rows) => {
      const x = encode(rows);
      return explainMatrix(x, (i, f) => (rows[i] as Record<string, FeatureValue>)[featureSpec.features[f]?.name ?? ''] ?? null);
    },
  };
}
