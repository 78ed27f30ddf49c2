namespace LossLab.Evaluation;

/// <summary>How <see cref="Calibration"/> groups samples by confidence.</summary>
public enum BinningScheme
{
    /// <summary>B bins of equal width on [0, 1]: bin b holds confidences in (b/B, (b+1)/B] (the first bin also holds 0),
    /// as in Guo et al. (2017) and Naeini et al. (2015).</summary>
    EqualWidth,

    /// <summary>B bins of (nearly) equal count: samples sorted by confidence (ties by index) are cut into B contiguous runs
    /// whose sizes differ by at most one, the larger runs first (NumPy's <c>array_split</c>); see Nixon et al. (2019),
    /// "Measuring Calibration in Deep Learning", arXiv:1904.01685.</summary>
    EqualMass,
}
