# Reference run for the ML bench: scikit-learn HistGradientBoosting and XGBoost on the same
# 5-fold stratified protocol (seed 42). Run with Debian's /usr/bin/python3. Prints one JSON object.
import json, sys, time
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import roc_auc_score

path, target, positive, drop, folds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(','), int(sys.argv[5])
df = pd.read_csv(path, sep=None, engine='python')
y = (df[target].astype(str) == positive).astype(int).values
X = df.drop(columns=[target] + [c for c in drop if c])
cat_cols = [c for c in X.columns if X[c].dtype == object]
out = {}
skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=42)

from sklearn.ensemble import HistGradientBoostingClassifier
Xo = X.copy()
for c in cat_cols:
    Xo[c] = Xo[c].astype('category').cat.codes.astype(float)
mask = np.array([c in cat_cols for c in X.columns])
aucs, fits, cpus = [], [], []
for tr, te in skf.split(Xo, y):
    m = HistGradientBoostingClassifier(learning_rate=0.06, max_iter=400, max_leaf_nodes=31, min_samples_leaf=20,
                                       l2_regularization=1.0, early_stopping=True, categorical_features=mask, random_state=42)
    t0 = time.perf_counter(); c0 = time.process_time(); m.fit(Xo.iloc[tr], y[tr])
    fits.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
    aucs.append(roc_auc_score(y[te], m.predict_proba(Xo.iloc[te])[:, 1]))
out['sklearn_hgb'] = {'auc': float(np.mean(aucs)), 'auc_std': float(np.std(aucs)), 'fit': float(np.mean(fits)), 'cpu': float(np.mean(cpus))}

try:
    import xgboost as xgb
    Xh = pd.get_dummies(X, columns=cat_cols).astype(float)
    aucs, fits, cpus = [], [], []
    for tr, te in skf.split(Xh, y):
        m = xgb.XGBClassifier(n_estimators=400, learning_rate=0.05, max_depth=6, tree_method='hist', random_state=42)
        t0 = time.perf_counter(); c0 = time.process_time(); m.fit(Xh.iloc[tr], y[tr])
        fits.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
        aucs.append(roc_auc_score(y[te], m.predict_proba(Xh.iloc[te])[:, 1]))
    out['xgboost'] = {'auc': float(np.mean(aucs)), 'auc_std': float(np.std(aucs)), 'fit': float(np.mean(fits)), 'cpu': float(np.mean(cpus))}
except ImportError:
    out['xgboost'] = None
print(json.dumps(out))
