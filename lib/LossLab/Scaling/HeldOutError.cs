namespace LossLab.Scaling;

/// <summary>Prediction error of a fit on held-out points.</summary>
public sealed class HeldOutError
{
    internal HeldOutError(LawFit fit, double[] predicted, double[] observed)
    {
        Fit = fit;
        Predicted = predicted;
        Observed = observed;
        var rel = predicted.Zip(observed, (p, o) => Math.Abs(p - o) / o).ToArray();
        MeanAbsoluteRelativeError = rel.Average();
        MaxAbsoluteRelativeError = rel.Max();
        RootMeanSquareLogError = Math.Sqrt(predicted.Zip(observed, (p, o) => Math.Pow(Math.Log(p) - Math.Log(o), 2)).Average());
    }

    /// <summary>The fit on the training points.</summary>
    public LawFit Fit { get; }

    /// <summary>Predicted losses of the test points.</summary>
    public IReadOnlyList<double> Predicted { get; }

    /// <summary>Observed losses of the test points.</summary>
    public IReadOnlyList<double> Observed { get; }

    /// <summary>mean |L̂ − L|/L over the test points.</summary>
    public double MeanAbsoluteRelativeError { get; }

    /// <summary>max |L̂ − L|/L over the test points.</summary>
    public double MaxAbsoluteRelativeError { get; }

    /// <summary>√mean (log L̂ − log L)² over the test points.</summary>
    public double RootMeanSquareLogError { get; }
}
