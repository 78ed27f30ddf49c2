namespace LossLab.Scaling;

/// <summary>Prediction error of a fit on held-out points: the fit on the training points and its
/// <see cref="PredictionError"/> on the test points.</summary>
public sealed class HeldOutError
{
    internal HeldOutError(LawFit fit, PredictionError error)
    {
        Fit = fit;
        Error = error;
    }

    /// <summary>The fit on the training points.</summary>
    public LawFit Fit { get; }

    /// <summary>The fit's error on the test points.</summary>
    public PredictionError Error { get; }

    /// <summary>Predicted losses of the test points.</summary>
    public IReadOnlyList<double> Predicted => Error.Predicted;

    /// <summary>Observed losses of the test points.</summary>
    public IReadOnlyList<double> Observed => Error.Observed;

    /// <summary>mean |L̂ − L|/L over the test points.</summary>
    public double MeanAbsoluteRelativeError => Error.MeanAbsoluteRelativeError;

    /// <summary>max |L̂ − L|/L over the test points.</summary>
    public double MaxAbsoluteRelativeError => Error.MaxAbsoluteRelativeError;

    /// <summary>√mean (log L̂ − log L)² over the test points.</summary>
    public double RootMeanSquareLogError => Error.RootMeanSquareLogError;
}
