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

    /// <summary>The predicted loss at raw inputs <paramref name="inputs"/>.</summary>
    public double Predict(params double[] inputs) => Law.Predict(Best.Parameters, inputs);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Law.Name}: " + string.Join(", ", Law.Parameters.Select((p, i) => $"{p.Name} = {Best.Parameters[i]:G6}")) +
        $"; objective {Objective:G10} (best of {Starts.Count} starts, {ConvergedCount} converged)";
}
