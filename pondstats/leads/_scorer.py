"""``LeadScorer``: a calibrated classifier for any lead table, its evaluation
and its explanations.

The default model is a logistic regression behind automatic preprocessing:

* numeric columns (and booleans): missing values imputed by the median with a
  missing-value indicator, then standardised;
* every other column is categorical: placeholders such as ``请选择``,
  ``Select``, ``无`` (``schema.PLACEHOLDERS``) and missing values become one
  ``(missing)`` category, categories seen fewer than ``min_frequency`` times
  are grouped into one "rare" category (new categories at prediction time go
  there too), then one-hot encoded.

Each original column has its own transformer, so every model input maps back
to exactly one column of the table: that is what the explanations need.

Probabilities are calibrated with :class:`~sklearn.calibration.CalibratedClassifierCV`
(``ensemble=True``): on each of ``cv`` folds a model is fitted and a sigmoid
(Platt) map is fitted on its held-out scores; the probability is the mean of
the calibrated fold models. Logistic regression is close to calibrated
already, but regularisation and rare categories shrink its scores; the
sigmoid map corrects that. (``ensemble=False``, one refit on all rows with a
map learnt from the fold models, was rejected: the fold models are fitted on
fewer rows, so regularisation shrinks them more than the refit and the map
over-corrects; a test shows it.) Explanations come from the same
specification refitted on all rows (``pipeline_``); the maps are monotone, so
the direction of every factor is the model's.
``model="gbm"`` swaps in :class:`~sklearn.ensemble.HistGradientBoostingClassifier`
with native categorical support.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    StandardScaler,
)
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    check_array,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from pondstats.errors import InputError
from pondstats.schema import PLACEHOLDERS
from pondstats.vocab import FACTOR_WORDS, FEATURES, lang_table

__all__ = ["LeadScorer", "FEATURE_LABELS"]

MISSING = "(missing)"

#: Names shown to analysts for the lead-table columns, per language (vocab.FEATURES).
FEATURE_LABELS: dict[str, dict[str, str]] = lang_table(FEATURES)
_WORDS = lang_table(FACTOR_WORDS)
_PLACEHOLDERS_LOWER = frozenset(p.lower() for p in PLACEHOLDERS)


def _to_categories(X: Any) -> np.ndarray:
    """Object array of strings; missing values and placeholders become NaN."""
    frame = pd.DataFrame(X)
    out = np.empty(frame.shape, dtype=object)
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        s = col.astype("str").str.strip()
        bad = col.isna().to_numpy() | s.str.lower().isin(_PLACEHOLDERS_LOWER).to_numpy()
        vals = s.to_numpy(dtype=object)
        vals[bad] = np.nan
        out[:, j] = vals
    return out


def _to_float(X: Any) -> np.ndarray:
    return pd.DataFrame(X).astype("float64").to_numpy()


def _zeros(X: Any) -> np.ndarray:
    """A constant stand-in for a column with no observed value (the GBM's
    binning cannot take an all-missing column)."""
    return np.zeros((len(X), 1))


class LeadScorer(ClassifierMixin, BaseEstimator):
    """Calibrated probability that a lead converts, for any table with a binary target.

    Parameters
    ----------
    model : {"logistic", "gbm"}
        Logistic regression (default; explanations are exact log-odds
        contributions) or histogram gradient boosting.
    C : float
        Inverse regularisation strength of the logistic regression.
    calibration : {"sigmoid", "isotonic"} or None
        Calibration of the probabilities on out-of-fold scores; None keeps
        the model's own probabilities.
    cv : int
        Folds for calibration (reduced to the size of the smaller class when
        that is smaller; no calibration with fewer than 2 rows per class).
    min_frequency : int or float
        Categories seen fewer times (or in a smaller share of rows, when a
        float below 1) are grouped into one "rare" category.
    max_iter : int
        Iterations of the logistic solver / boosting rounds of the GBM.
    random_state : int, RandomState or None
        Seeds the calibration folds and the GBM.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    numeric_features_, categorical_features_ : list
        How each input column was treated.
    model_ : estimator
        The fitted (calibrated) model.
    pipeline_ : Pipeline
        The preprocessing + classifier fitted on all rows, uncalibrated
        (used for explanations).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import LeadScorer
    >>> X = pd.DataFrame({"visits": [1, 3, 1, 4, 2, 1, 5, 1] * 5,
    ...                   "source": ["walk-in", "referral", "请选择", "referral",
    ...                              "online", "walk-in", "referral", None] * 5})
    >>> y = [0, 1, 0, 1, 0, 0, 1, 0] * 5
    >>> scorer = LeadScorer(random_state=0).fit(X, y)
    >>> scorer.categorical_features_
    ['source']
    >>> p = scorer.predict_proba(X)[:, 1]
    >>> bool(p[1] > p[0])
    True
    """

    def __init__(
        self,
        model: str = "logistic",
        *,
        C: float = 1.0,
        calibration: str | None = "sigmoid",
        cv: int = 3,
        min_frequency: int | float = 10,
        max_iter: int = 1000,
        random_state: Any = None,
    ) -> None:
        self.model = model
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.min_frequency = min_frequency
        self.max_iter = max_iter
        self.random_state = random_state

    # -- sklearn plumbing ---------------------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags

    def _frame(self, X: Any, *, reset: bool) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            frame = X.copy()
            frame.columns = range(X.shape[1])  # positional, as at fit time
            return frame
        arr = check_array(X, dtype=None, ensure_all_finite=False, ensure_min_samples=1)
        if arr.dtype.kind in "fc" and np.isinf(arr).any():
            raise ValueError(
                "Input contains infinity; LeadScorer accepts NaN but not inf."
            )
        validate_data(self, arr, reset=reset, skip_check_array=True)
        return pd.DataFrame(arr)

    def _check_params(self) -> None:
        if self.model not in ("logistic", "gbm"):
            raise InputError(f"model must be 'logistic' or 'gbm', got {self.model!r}.")
        if self.calibration not in ("sigmoid", "isotonic", None):
            raise InputError(
                f"calibration must be 'sigmoid', 'isotonic' or None, got {self.calibration!r}."
            )

    def _preprocessor(self, frame: pd.DataFrame) -> ColumnTransformer:
        num, cat = [], []
        for j in frame.columns:
            dt = frame[j].dtype
            if pd.api.types.is_bool_dtype(dt) or (
                pd.api.types.is_numeric_dtype(dt)
                and not isinstance(dt, pd.CategoricalDtype)
            ):
                num.append(j)
            else:
                cat.append(j)
        self._num_pos, self._cat_pos = num, cat
        parts = []
        to_float = FunctionTransformer(_to_float, feature_names_out="one-to-one")
        cat_steps = [
            FunctionTransformer(_to_categories, feature_names_out="one-to-one"),
            SimpleImputer(
                strategy="constant", fill_value=MISSING, keep_empty_features=True
            ),
        ]
        if self.model == "logistic":
            num_pipe = make_pipeline(
                to_float,
                SimpleImputer(
                    strategy="median", add_indicator=True, keep_empty_features=True
                ),
                StandardScaler(),
            )
            cat_pipe = make_pipeline(
                *cat_steps,
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    min_frequency=self.min_frequency,
                ),
            )
        else:
            num_pipe = to_float
            cat_pipe = make_pipeline(
                *cat_steps,
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    min_frequency=self.min_frequency,
                    max_categories=250,
                ),
            )
        empty = (
            set()
            if self.model == "logistic"
            else {j for j in num if frame[j].isna().all()}
        )
        const = FunctionTransformer(_zeros, feature_names_out="one-to-one")
        parts += [(f"num{j}", const if j in empty else num_pipe, [j]) for j in num]
        parts += [(f"cat{j}", cat_pipe, [j]) for j in cat]
        return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.3)

    def _classifier(self):
        if self.model == "logistic":
            return LogisticRegression(C=self.C, max_iter=self.max_iter)
        n_num = len(self._num_pos)
        mask = [False] * n_num + [True] * len(self._cat_pos)
        return HistGradientBoostingClassifier(
            max_iter=min(self.max_iter, 300),
            categorical_features=mask if any(mask) else None,
            learning_rate=0.1,
            early_stopping=False,
            l2_regularization=1.0,
            random_state=self.random_state,
        )

    # -- public API -----------------------------------------------------------

    def fit(self, X: Any, y: Any) -> LeadScorer:
        """Fit on a table ``X`` (DataFrame or array) and a binary target ``y``."""
        self._check_params()
        if y is None:
            raise ValueError(
                "LeadScorer requires y to be passed, but the target y is None; "
                "give the 0/1 label column, e.g. fit(table[features], table['converted'])."
            )
        frame = self._frame(X, reset=True)
        y = column_or_1d(y, warn=True)
        if len(y) != len(frame):
            raise ValueError(
                f"y must be one label per row of X: X has {len(frame)} rows, "
                f"y has shape {y.shape}."
            )
        check_classification_targets(y)
        y_type = type_of_target(y, input_name="y")
        if y_type != "binary" or np.unique(y).size != 2:
            found = np.unique(y)
            raise InputError(
                "Only binary classification is supported. The type of the target is "
                f"{y_type}: LeadScorer needs both classes of a binary target; found "
                f"{found.size} class(es): {found[:5].tolist()}. "
                "Use 0/1 (converted or not) and include both outcomes."
            )
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        pre = self._preprocessor(frame)
        pipe = Pipeline([("pre", pre), ("clf", self._classifier())])
        n_min = int(np.bincount(y_idx).min())
        k = min(int(self.cv), n_min)
        if self.calibration is None or k < 2:
            pipe.fit(frame, y_idx)
            self.model_ = pipe
            self.pipeline_ = pipe
        else:
            folds = StratifiedKFold(
                n_splits=k, shuffle=True, random_state=self.random_state
            )
            cal = CalibratedClassifierCV(
                pipe, method=self.calibration, cv=folds, ensemble=True
            )
            cal.fit(frame, y_idx)
            self.model_ = cal
            self.pipeline_ = clone(pipe).fit(frame, y_idx)
        n_iter = self.pipeline_.named_steps["clf"].n_iter_
        self.n_iter_ = int(np.max(n_iter))
        fitted_pre = self.pipeline_.named_steps["pre"]
        names = (
            list(X.columns)
            if isinstance(X, pd.DataFrame)
            else list(range(frame.shape[1]))
        )
        self.numeric_features_ = [names[j] for j in self._num_pos]
        self.categorical_features_ = [names[j] for j in self._cat_pos]
        self._slices = {
            names[int(t[3:])]: fitted_pre.output_indices_[t]
            for t, _, _ in fitted_pre.transformers
            if t != "remainder"
        }
        Xt = fitted_pre.transform(frame)
        if self.model == "logistic":
            self._reference = np.asarray(Xt.mean(axis=0)).ravel()
        else:
            self._reference = np.nanmedian(np.asarray(Xt, dtype=float), axis=0)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the calibrated probability of the positive class."""
        check_is_fitted(self)
        p = np.clip(self.predict_proba(X)[:, 1], 1e-12, 1 - 1e-12)
        return np.log(p / (1 - p))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, shape (n, 2), columns in ``classes_`` order."""
        check_is_fitted(self)
        frame = self._frame(X, reset=False)
        return self.model_.predict_proba(frame)

    def predict(self, X: Any) -> np.ndarray:
        """The more probable class for each row (the first class on a tie, as
        ``decision_function > 0`` says)."""
        check_is_fitted(self)
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    def contributions(self, X: Any) -> pd.DataFrame:
        """Per row and input column: how much it moves the score, in log-odds,
        relative to the average lead of the training data.

        For the logistic model this is exact: ``coef * (x - mean(x))`` summed
        over the model inputs coming from the column (its one-hot levels,
        its missing indicator). For ``model="gbm"`` it is the change in the
        model's log-odds when the column is set back to its typical value
        (median / most common code) with the others unchanged.
        """
        check_is_fitted(self)
        frame = self._frame(X, reset=False)
        pre = self.pipeline_.named_steps["pre"]
        clf = self.pipeline_.named_steps["clf"]
        Xt = pre.transform(frame)
        index = X.index if isinstance(X, pd.DataFrame) else None
        out = {}
        if self.model == "logistic":
            diff = Xt - self._reference  # dense (n, p)
            contrib = np.asarray(diff) * clf.coef_.ravel()
            for col, sl in self._slices.items():
                out[col] = contrib[:, sl].sum(axis=1)
        else:
            Xt = np.asarray(Xt, dtype=float)
            base = clf.decision_function(Xt)
            for col, sl in self._slices.items():
                Xr = Xt.copy()
                Xr[:, sl] = self._reference[sl]
                out[col] = base - clf.decision_function(Xr)
        return pd.DataFrame(out, index=index)

    def explain(
        self, X: pd.DataFrame, *, n_factors: int = 3, lang: str = "zh"
    ) -> pd.DataFrame:
        """The factors that raise or lower each lead's score most, in words.

        Returns a DataFrame (same index as ``X``) with ``factors`` (text, ``;``
        separated, e.g. ``试驾: 是 ↑; 距上次来店天数: 45 ↓``) and
        ``factor_1 .. factor_n`` (the column names, strongest first).
        Factors moving the log-odds by less than 0.05 are left out.

        Examples
        --------
        >>> import pandas as pd
        >>> from pondstats import LeadScorer
        >>> X = pd.DataFrame({"test_drive": [1, 0, 1, 0, 0, 0] * 6,
        ...                   "grade": ["H", "C", "B", "C", "B", "H"] * 6})
        >>> y = [1, 0, 0, 0, 0, 1] * 6
        >>> s = LeadScorer(calibration=None).fit(X, y)
        >>> s.explain(X.head(2), lang="en")["factors"].tolist()
        ['grade: H ↑; test drive: yes ↑', 'grade: C ↓; test drive: no ↓']
        """
        if lang not in _WORDS:
            raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
        contrib = self.contributions(X)
        labels = FEATURE_LABELS[lang]
        words = _WORDS[lang]
        values = (
            X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        )
        cols = list(contrib.columns)
        mat = contrib.to_numpy()
        order = np.argsort(-np.abs(mat), axis=1, kind="stable")[:, :n_factors]
        texts, names = [], []
        for i in range(mat.shape[0]):
            parts, picked = [], []
            for j in order[i]:
                c = mat[i, j]
                if abs(c) < 0.05:
                    continue
                col = cols[j]
                val = values.iloc[i][col] if col in values else values.iloc[i, j]
                parts.append(
                    f"{labels.get(str(col), str(col))}: {_fmt(val, col, words)} "
                    f"{words['up'] if c > 0 else words['down']}"
                )
                picked.append(col)
            texts.append("; ".join(parts))
            names.append(picked + [None] * (n_factors - len(picked)))
        out = pd.DataFrame({"factors": pd.Series(texts, dtype="str")})
        for k in range(n_factors):
            out[f"factor_{k + 1}"] = pd.Series([n[k] for n in names], dtype="object")
        out.index = contrib.index
        return out


def _fmt(val: Any, col: Any, words: dict[str, str]) -> str:
    if val is None or (not isinstance(val, str) and pd.isna(val)):
        return words["missing"]
    if isinstance(val, str):
        return words["missing"] if val.strip().lower() in _PLACEHOLDERS_LOWER else val
    if col in ("test_drive", "returned") or isinstance(val, (bool, np.bool_)):
        return words["yes"] if bool(val) else words["no"]
    if col == "region_close_rate":
        return f"{float(val):.0%}"
    f = float(val)
    return str(int(f)) if f.is_integer() else f"{f:.3g}"
