#!/usr/bin/python3
"""Times one peer operation (scikit-learn, pandas) on a promolens bench data set; prints one JSON line.

    /usr/bin/python3 bench/peers/peer.py --task roc_auc --n 1000000 --data /tmp/promolens-bench

The data layout is the promobench-f64 one written by bench/gen.ts (and by
shared/bench/gen_data.py): DIR/n<n>/X.f64, y.f64, ... little-endian float64.
scikit-uplift tasks use it when importable (set SKLIFT_PATH to a checkout's root: its
source, run with Debian's numpy and scikit-learn) and otherwise a numpy port of the
formulas used (see sklift_pipeline_parts; uplift_auc needs scikit-uplift itself); the
output's "uplift_peer" says which ran. Compute is repeated (median reported) until 3 runs or a time budget; loading
is outside the timed region. Peak RSS is the process maximum.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np

if os.environ.get("SKLIFT_PATH"):
    sys.path.insert(0, os.environ["SKLIFT_PATH"])


def load(data_dir, n, name):
    d = os.path.join(data_dir, f"n{n}")
    arr = np.fromfile(os.path.join(d, f"{name}.f64"), dtype="<f8")
    return arr.reshape(n, 20) if name == "X" else arr


def sklift_pipeline_parts():
    """scikit-uplift's qini_auc_score, uplift_by_percentile, TwoModels and SoloModel; where it cannot be
    imported (it is not packaged for Debian), the same formulas in numpy and scikit-learn, written from its
    documented definitions: the Qini curve over distinct scores (mergesort, descending), its area above the
    random line over the perfect curve's (negative effects allowed), deciles by np.array_split of the
    descending order, and the two logistic models of the vanilla T-learner and the one with the treatment
    as a feature. Returns (parts, source)."""
    try:
        from sklift.metrics import qini_auc_score, uplift_at_k, uplift_by_percentile
        from sklift.models import SoloModel, TwoModels
        return (qini_auc_score, uplift_by_percentile, TwoModels, SoloModel, uplift_at_k), "scikit-uplift"
    except ImportError:
        pass

    def qini_curve(y, uplift, t):
        order = np.argsort(uplift, kind="mergesort")[::-1]
        y, uplift, t = y[order], uplift[order], t[order]
        ends = np.r_[np.where(np.diff(uplift))[0], uplift.size - 1]
        n_t = np.cumsum(t)[ends]
        y_t = np.cumsum(y * t)[ends]
        y_c = np.cumsum(y * (1 - t))[ends]
        n_all = ends + 1
        n_c = n_all - n_t
        values = y_t - y_c * np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
        return np.r_[0, n_all], np.r_[0, values]

    def qini_auc_score(y, uplift, t):
        x, v = qini_curve(y, uplift, t)
        baseline = np.trapz([0, v[-1]], [0, x[-1]])
        xp, vp = qini_curve(y, y * t - y * (1 - t), t)
        return (np.trapz(v, x) - baseline) / (np.trapz(vp, xp) - baseline)

    def uplift_at_k(y, uplift, t, strategy="overall", k=0.3):
        order = np.argsort(uplift, kind="mergesort")[::-1]
        top = order[:int(np.ceil(len(y) * k))]
        yt, tt = y[top], t[top]
        return yt[tt == 1].mean() - yt[tt == 0].mean()

    def uplift_by_percentile(y, uplift, t, bins=10):
        order = np.argsort(uplift, kind="mergesort")[::-1]
        rows = []
        for part in np.array_split(order, bins):
            yt, tt = y[part], t[part]
            rows.append((tt.sum(), (1 - tt).sum(), yt[tt == 1].mean() - yt[tt == 0].mean()))
        return rows

    class TwoModels:
        def __init__(self, estimator_trmnt, estimator_ctrl, method="vanilla"):
            self.trmnt, self.ctrl = estimator_trmnt, estimator_ctrl

        def fit(self, X, y, t):
            self.trmnt.fit(X[t == 1], y[t == 1])
            self.ctrl.fit(X[t == 0], y[t == 0])
            return self

        def predict(self, X):
            return self.trmnt.predict_proba(X)[:, 1] - self.ctrl.predict_proba(X)[:, 1]

    class SoloModel:
        def __init__(self, estimator):
            self.estimator = estimator

        def fit(self, X, y, t):
            self.estimator.fit(np.column_stack([X, t]), y)
            return self

        def predict(self, X):
            ones, zeros = np.ones(X.shape[0]), np.zeros(X.shape[0])
            return self.estimator.predict_proba(np.column_stack([X, ones]))[:, 1] - self.estimator.predict_proba(np.column_stack([X, zeros]))[:, 1]

    return (qini_auc_score, uplift_by_percentile, TwoModels, SoloModel, uplift_at_k), "numpy port of scikit-uplift's formulas"


def task_function(task, args):
    """(inputs, fn): fn(inputs) is the timed work."""
    n, data = args.n, args.data
    if task == "read_csv":
        import pandas as pd
        return None, lambda _: int(len(pd.read_csv(args.csv)))
    if task in ("roc_auc", "log_loss", "f1", "average_precision", "brier"):
        from sklearn import metrics
        y, p = load(data, n, "y"), load(data, n, "p_score")
        if task == "roc_auc":
            return None, lambda _: float(metrics.roc_auc_score(y, p))
        if task == "average_precision":
            return None, lambda _: float(metrics.average_precision_score(y, p))
        if task == "log_loss":
            return None, lambda _: float(metrics.log_loss(y, p))
        if task == "brier":
            return None, lambda _: float(metrics.brier_score_loss(y, p))
        return None, lambda _: float(metrics.f1_score(y, (p >= 0.5).astype(np.float64)))
    if task == "roc_auc_ties":
        from sklearn import metrics
        y, s = load(data, n, "y"), load(data, n, "uplift_score_q")
        return None, lambda _: float(metrics.roc_auc_score(y, s))
    if task == "mse":
        from sklearn import metrics
        a, b = load(data, n, "revenue"), load(data, n, "revenue_pred")
        return None, lambda _: float(metrics.mean_squared_error(a, b))
    if task == "argsort":
        s = load(data, n, "uplift_score")
        return None, lambda _: int(np.argsort(s, kind="stable")[0])
    if task == "linreg":
        from sklearn.linear_model import LinearRegression
        X, r = load(data, n, "X"), load(data, n, "revenue")
        return None, lambda _: float(LinearRegression().fit(X, r).coef_[0])
    if task == "logreg_objective":
        # As logreg, reporting the final penalised objective (sum of log losses + ||w||^2 / 2 at C = 1), to compare convergence.
        from sklearn.linear_model import LogisticRegression
        X, y = load(data, n, "X"), load(data, n, "y")

        def run(_):
            m = LogisticRegression(C=1.0, max_iter=100).fit(X, y)
            eta = X @ m.coef_[0] + m.intercept_[0]
            return float(np.sum(np.logaddexp(0.0, eta) - y * eta) + 0.5 * m.coef_[0] @ m.coef_[0])
        return None, run
    if task == "logreg":
        from sklearn.linear_model import LogisticRegression
        X, y = load(data, n, "X"), load(data, n, "y")
        return None, lambda _: float(LogisticRegression(C=1.0, max_iter=100).fit(X, y).coef_[0, 0])
    if task in ("qini_auc", "uplift_auc", "uplift_at_k", "qini_auc_ties"):
        (qini_auc_score, _, _, _, uplift_at_k), _ = sklift_pipeline_parts()
        if task == "uplift_auc":
            from sklift.metrics import uplift_auc_score
        y, t = load(data, n, "y"), load(data, n, "t")
        s = load(data, n, "uplift_score_q" if task == "qini_auc_ties" else "uplift_score")
        if task in ("qini_auc", "qini_auc_ties"):
            return None, lambda _: float(qini_auc_score(y, s, t))
        if task == "uplift_auc":
            return None, lambda _: float(uplift_auc_score(y, s, t))
        return None, lambda _: float(uplift_at_k(y, s, t, strategy="overall", k=0.3))
    if task == "tlearner":
        from sklearn.linear_model import LogisticRegression
        (_, _, TwoModels, _, _), _ = sklift_pipeline_parts()
        X, y, t = load(data, n, "X"), load(data, n, "y"), load(data, n, "t")

        def run(_):
            m = TwoModels(estimator_trmnt=LogisticRegression(C=1.0, max_iter=100), estimator_ctrl=LogisticRegression(C=1.0, max_iter=100), method="vanilla")
            m.fit(X, y, t)
            return float(np.mean(m.predict(X)))
        return None, run
    if task == "campaign_pipeline":
        # The notebook a data scientist would write for what evaluateCampaign does by default on this data:
        # a stratified 70/30 holdout, scaling (and one-hot encoding, which the synthetic features do not need,
        # kept in the ColumnTransformer as in the notebook), a logistic response model, two meta-learners
        # (TwoModels and SoloModel, logistic), each learner's Qini AUC on the holdout with 100 bootstrap
        # resamples within treatment groups, and uplift by decile.
        import pandas as pd
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import roc_auc_score
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import OneHotEncoder, StandardScaler
        (qini_auc_score, uplift_by_percentile, TwoModels, SoloModel, _), _ = sklift_pipeline_parts()
        X, y, t = load(data, n, "X"), load(data, n, "y"), load(data, n, "t")
        frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(20)])

        def run(_):
            idx_train, idx_test = train_test_split(np.arange(n), test_size=0.3, random_state=0, stratify=t)
            prep = ColumnTransformer([("num", StandardScaler(), list(frame.columns)),
                                      ("cat", OneHotEncoder(handle_unknown="ignore", drop="first"), [])])
            Xtr = prep.fit_transform(frame.iloc[idx_train])
            Xte = prep.transform(frame.iloc[idx_test])
            ytr, yte, ttr, tte = y[idx_train], y[idx_test], t[idx_train], t[idx_test]
            response = LogisticRegression(C=1.0, max_iter=100).fit(np.column_stack([Xtr, ttr]), ytr)
            roc_auc_score(yte, response.predict_proba(np.column_stack([Xte, tte]))[:, 1])
            rng = np.random.default_rng(0)
            treated, control = np.flatnonzero(tte == 1), np.flatnonzero(tte == 0)
            out = 0.0
            for model in (TwoModels(estimator_trmnt=LogisticRegression(C=1.0, max_iter=100),
                                    estimator_ctrl=LogisticRegression(C=1.0, max_iter=100), method="vanilla"),
                          SoloModel(LogisticRegression(C=1.0, max_iter=100))):
                model.fit(Xtr, ytr, ttr)
                uplift = model.predict(Xte)
                qini = qini_auc_score(yte, uplift, tte)
                draws = []
                for _ in range(100):
                    rows = np.concatenate([rng.choice(treated, treated.size), rng.choice(control, control.size)])
                    draws.append(qini_auc_score(yte[rows], uplift[rows], tte[rows]))
                np.std(draws, ddof=1)
                uplift_by_percentile(yte, uplift, tte, bins=10)
                out += qini
            return float(out)
        return None, run
    if task in ("hgb_fit", "hgb_predict"):
        # Trained on the first n rows of a data set of n + holdout rows; the fit reports the holdout log loss.
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.metrics import log_loss
        X, y = load(data, args.total, "X"), load(data, args.total, "y")
        Xtr, ytr, Xho, yho = X[:n], y[:n], X[n:], y[n:]

        def model():
            return HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, learning_rate=0.1, min_samples_leaf=20,
                                                  l2_regularization=0.0, max_bins=255, early_stopping=False)
        if task == "hgb_fit":
            return None, lambda _: float(log_loss(yho, model().fit(Xtr, ytr).predict_proba(Xho)[:, 1]))
        fitted = model().fit(Xtr, ytr)
        return None, lambda _: float(fitted.predict_proba(Xtr)[0, 1])
    raise SystemExit(f"unknown task {task}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--csv")
    ap.add_argument("--budget", type=float, default=20.0)
    ap.add_argument("--holdout", type=int, default=0)
    ap.add_argument("--total", type=int, default=0)
    args = ap.parse_args()
    inputs, fn = task_function(args.task, args)
    times, result, spent = [], None, 0.0
    while len(times) < 7 and (len(times) < 3 or spent < args.budget):
        t0 = time.perf_counter()
        result = fn(inputs)
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    print(json.dumps({
        "tool": "python", "task": args.task, "n": args.n, "uplift_peer": sklift_pipeline_parts()[1],
        "median_s": statistics.median(times), "runs": len(times),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "result": result, "versions": {"python": sys.version.split()[0], "numpy": np.__version__},
    }))


if __name__ == "__main__":
    main()
