namespace LossLab.Scaling;

/// <summary>The result of a multi-start fit: the best start's parameters and objective, and every start's result.</summary>
public sealed class LawFit
{
    internal LawFit(ScalingLaw law, IReadOnlyList<StartResult> starts, int bestIndex, int pointCount)
    {
        Law = law;
        Starts = starts;
        BestIndex = bestIndex;
        PointCount = pointCount;
    }

    /// <summary>The law fitted.</summary>
    public ScalingLaw Law { get; }

    /// <summary>Every start's result, in grid order.</summary>
    public IReadOnlyList<StartResult> Starts { get; }

    /// <summary>The index of the best start: the lowest objective among converged starts (the first on ties), or
    /// among all starts with a finite objective when none converged.</summary>
    public int BestIndex { get; }

    /// <summary>The best start's result.</summary>
    public StartResult Best => Starts[BestIndex];

    /// <summary>The number of points fitted.</summary>
    public int PointCount { get; }

    /// <summary>The best natural parameter values, in the law's order.</summary>
    public IReadOnlyList<double> Parameters => Best.Parameters;

    /// <summary>The best fit-space values.</summary>
    public IReadOnlyList<double> FitSpace => Best.FitSpace;

    /// <summary>The best objective.</summary>
    public double Objective => Best.Objective;

    /// <summary>The fitted value of the parameter called <paramref name="name"/>.</summary>
    public double this[string name] => Best.Parameters[Law.IndexOf(name)];

    /// <summary>The parameters by name.</summary>
    public IReadOnlyDictionary<string, double> Named =>
        Law.Parameters.Select((p, i) => (p.Name, Value: Best.Parameters[i])).ToDictionary(t => t.Name, t => t.Value);

    /// <summary>How many starts converged.</summary>
    public int ConvergedCount => Starts.Count(s => s.Converged);

    /// <summary>The predicted loss at raw inputs <paramref name="inputs"/>, computed from the best fit-space values: a
    /// positive parameter that has underflowed to 0 in natural units (an irreducible loss E with no floor in the points)
    /// still predicts, where the law's natural-parameter <see cref="ScalingLaw.Predict"/> would reject it.</summary>
    /// <exception cref="ArgumentException">The number of inputs differs from the law's, or an input is outside its domain.</exception>
    public double Predict(params double[] inputs) => Law.PredictFromFitSpace(Best.FitSpace.ToArray(), inputs);

    /// <summary>The predicted loss of every point of <paramref name="points"/>, in order.</summary>
    public double[] Predict(LawPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var theta = Best.FitSpace.ToArray();
        var predicted = new double[points.Count];
        for (int i = 0; i < predicted.Length; i++) predicted[i] = Law.PredictFromFitSpace(theta, points.Input(i));
        return predicted;
    }

    /// <summary>How well the fit predicts <paramref name="points"/> (its own points: goodness of fit, R²; other points:
    /// held-out error).</summary>
    /// <exception cref="ArgumentException"><paramref name="points"/> is empty.</exception>
    public PredictionError Error(LawPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("points is empty.", nameof(points));
        return new PredictionError(Predict(points), points.Losses);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Law.Name}: " + string.Join(", ", Law.Parameters.Select((p, i) => $"{p.Name} = {Best.Parameters[i]:G6}")) +
        $"; objective {Objective:G10} (best of {Starts.Count} starts, {ConvergedCount} converged)";
}
