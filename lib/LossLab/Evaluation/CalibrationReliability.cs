namespace LossLab.Evaluation;

/// <summary>
/// One bin of a reliability diagram: its confidence range, the mean confidence and the accuracy of its samples, and their
/// number. An empty bin has <see cref="Count"/> 0 and NaN confidence and accuracy (it has neither).
/// </summary>
/// <param name="Lower">The bin's lower edge (equal width) or its smallest confidence (equal mass).</param>
/// <param name="Upper">The bin's upper edge (equal width) or its largest confidence (equal mass).</param>
/// <param name="Confidence">Mean confidence of the bin's samples.</param>
/// <param name="Accuracy">Share of the bin's samples that are correct.</param>
/// <param name="Count">Number of samples in the bin.</param>
public sealed record ReliabilityBin(double Lower, double Upper, double Confidence, double Accuracy, int Count);

/// <summary>The data of a reliability diagram: the bins, the scheme that made them and the expected calibration error
/// ECE = Σ_b (n_b / N)·|acc_b − conf_b| they give.</summary>
public sealed record ReliabilityDiagramData(IReadOnlyList<ReliabilityBin> Bins, BinningScheme Scheme, double ExpectedCalibrationError)
{
    /// <summary>The total number of samples.</summary>
    public int Count => Bins.Sum(b => b.Count);
}
