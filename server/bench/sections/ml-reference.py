# Reference models for the ML bench, on exactly the rows and folds our engine was scored on.
# Run with Debian's /usr/bin/python3 (python3-sklearn, python3-xgboost; no pandas needed):
#   python3 ml-reference.py MANIFEST.json
# The manifest (written by ml-compare.ts) names
#   data:        CSV, header `label,<features>`: the label (0/1) and every feature as our engine read it
#                (numbers as parsed, dates as days since 1970, empty cell = missing)
#   folds:       one fold number per data row, in the same order (our CV's assignment)
#   categorical: the feature names our engine treats as categorical
#   models:      any of hgb, xgboost, logistic
#   threads:     1 to pin every model to one thread (ml-compare.ts then also sets OMP_NUM_THREADS=1 before
#                start), or null for each library's default (OpenMP: all cores)
# Prints one JSON object: per model the mean AUC over the folds, per-fold AUCs and the mean fit seconds
# (wall and CPU, all threads) of fitting the whole pipeline (encoders included) on the training folds.
import csv
import json
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.impute import SimpleImputer

SEED = 42
manifest = json.load(open(sys.argv[1]))
with open(manifest['data'], newline='') as f:
    rows = list(csv.reader(f))
header, rows = rows[0][1:], rows[1:]
y = np.array([int(r[0]) for r in rows])
folds = np.loadtxt(manifest['folds'], dtype=int)
if len(folds) != len(y):
    sys.exit(f"fold file has {len(folds)} rows, data has {len(y)}")
categorical = set(manifest['categorical'])
cat_idx = [j for j, name in enumerate(header) if name in categorical]
num_idx = [j for j, name in enumerate(header) if name not in categorical]
# Missing categoricals: NaN for the ordinal encoder (HistGradientBoosting routes it like our trees do), a
# level of its own for one-hot.
x_cat_nan = np.array([[r[1 + j] if r[1 + j] != '' else np.nan for j in cat_idx] for r in rows], dtype=object).reshape(len(rows), len(cat_idx))
x_cat_level = np.array([[r[1 + j] if r[1 + j] != '' else '(missing)' for j in cat_idx] for r in rows], dtype=object).reshape(len(rows), len(cat_idx))
x_num = np.array([[float(r[1 + j]) if r[1 + j] != '' else np.nan for j in num_idx] for r in rows], dtype=float).reshape(len(rows), len(num_idx))


def one_hot():
    return OneHotEncoder(handle_unknown='ignore', sparse_output=False)


def fit_hgb(tr):
    from sklearn.ensemble import HistGradientBoostingClassifier
    encoder = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=np.nan)
    x = np.hstack([encoder.fit_transform(x_cat_nan[tr]), x_num[tr]]) if cat_idx else x_num[tr]
    mask = np.array([True] * len(cat_idx) + [False] * len(num_idx))
    # The setting ../shared/reference/ml.md measured (0.801 on bank-full); our defaults follow it.
    model = HistGradientBoostingClassifier(learning_rate=0.06, max_iter=400, max_leaf_nodes=31, min_samples_leaf=20,
                                           l2_regularization=1.0, early_stopping=True, categorical_features=mask,
                                           random_state=SEED)
    model.fit(x, y[tr])
    return lambda te: model.predict_proba(np.hstack([encoder.transform(x_cat_nan[te]), x_num[te]]) if cat_idx else x_num[te])[:, 1]


def fit_xgboost(tr):
    import xgboost as xgb
    encoder = one_hot()
    x = np.hstack([encoder.fit_transform(x_cat_level[tr]), x_num[tr]]) if cat_idx else x_num[tr]
    model = xgb.XGBClassifier(n_estimators=400, learning_rate=0.05, max_depth=6, tree_method='hist', random_state=SEED,
                              n_jobs=manifest.get('threads'))
    model.fit(x, y[tr])
    return lambda te: model.predict_proba(np.hstack([encoder.transform(x_cat_level[te]), x_num[te]]) if cat_idx else x_num[te])[:, 1]


def fit_logistic(tr):
    from sklearn.linear_model import LogisticRegressionCV
    encoder, imputer, scaler = one_hot(), SimpleImputer(strategy='median', add_indicator=True), StandardScaler()
    def design(rows, fit):
        parts = []
        if cat_idx:
            parts.append(encoder.fit_transform(x_cat_level[rows]) if fit else encoder.transform(x_cat_level[rows]))
        if num_idx:
            parts.append(scaler.fit_transform(imputer.fit_transform(x_num[rows])) if fit else scaler.transform(imputer.transform(x_num[rows])))
        return np.hstack(parts)
    # C from 10 values in 1e-4..1e4 by 3-fold stratified CV on the training folds only (never the test fold).
    model = LogisticRegressionCV(Cs=10, cv=StratifiedKFold(3, shuffle=True, random_state=SEED), scoring='roc_auc',
                                 max_iter=2000, random_state=SEED)
    model.fit(design(tr, True), y[tr])
    return lambda te: model.predict_proba(design(te, False))[:, 1]


FITS = {'hgb': fit_hgb, 'xgboost': fit_xgboost, 'logistic': fit_logistic}
out = {}
for name in manifest['models']:
    aucs, fits, cpus = [], [], []
    for k in sorted(set(folds.tolist())):
        tr, te = np.where(folds != k)[0], np.where(folds == k)[0]
        t0, c0 = time.perf_counter(), time.process_time()
        predict = FITS[name](tr)
        fits.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        aucs.append(roc_auc_score(y[te], predict(te)))
    out[name] = {'auc': float(np.mean(aucs)), 'aucStd': float(np.std(aucs)), 'aucFolds': [float(a) for a in aucs],
                 'fitSeconds': float(np.mean(fits)), 'fitCpuSeconds': float(np.mean(cpus))}
print(json.dumps(out))
