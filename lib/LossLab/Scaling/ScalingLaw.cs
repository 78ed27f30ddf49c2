namespace LossLab.Scaling;

/// <summary>
/// A law L(x; p): a named formula with named parameters p, predicting a positive loss from inputs x. Fitting works in
/// log-loss space and in "fit space", where each positive parameter is replaced by its logarithm; a law gives log L and
/// its exact gradient with respect to the fit-space parameters θ, so the fitter never differentiates numerically.
/// Inputs are turned once into features (usually their logarithms) by <see cref="Prepare"/> before fitting.
/// </summary>
public abstract class ScalingLaw
{
    readonly LawParameter[] parameters;
    readonly string[] inputs;

    /// <summary>Declares the law.</summary>
    protected ScalingLaw(string name, string formula, IReadOnlyList<string> inputs, IReadOnlyList<LawParameter> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("A law needs at least one parameter.", nameof(parameters));
        if (parameters.Select(p => p.Name).Distinct().Count() != parameters.Count)
            throw new ArgumentException("Parameter names must be distinct.", nameof(parameters));
        Name = name;
        Formula = formula;
        this.inputs = [.. inputs];
        this.parameters = [.. parameters];
    }

    /// <summary>The law's name.</summary>
    public string Name { get; }

    /// <summary>The formula, in Unicode.</summary>
    public string Formula { get; }

    /// <summary>The names of the inputs, in order.</summary>
    public IReadOnlyList<string> Inputs => inputs;

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<LawParameter> Parameters => parameters;

    /// <summary>The number of parameters.</summary>
    public int ParameterCount => parameters.Length;

    /// <summary>The number of inputs per point.</summary>
    public int InputCount => inputs.Length;

    /// <summary>The number of features per point that <see cref="Prepare"/> writes.</summary>
    public virtual int FeatureCount => InputCount;

    /// <summary>Turns one point's inputs into the features <see cref="LogValue"/> reads (default: a copy).</summary>
    /// <exception cref="ArgumentException">An input is outside the law's domain (for example a non-positive size).</exception>
    public virtual void Prepare(ReadOnlySpan<double> inputs, Span<double> features) => inputs.CopyTo(features);

    /// <summary>log L at fit-space parameters <paramref name="theta"/> for one point's features. When
    /// <paramref name="gradient"/> is not empty, writes ∂ log L / ∂θ into it. Returns NaN outside the law's domain.</summary>
    public abstract double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient);

    /// <summary>
    /// log L and its gradient for many points at once. <paramref name="featureColumns"/> holds the features column by
    /// column (feature f of point i at f·n + i, n = <paramref name="values"/>.Length); writes log Lᵢ into
    /// <paramref name="values"/> and, when <paramref name="jacobian"/> is not empty, ∂ log Lᵢ/∂θⱼ at j·n + i. The default
    /// calls <see cref="LogValue"/> point by point; laws override it with a vectorised form.
    /// </summary>
    public virtual void LogValues(ReadOnlySpan<double> theta, ReadOnlySpan<double> featureColumns, Span<double> values, Span<double> jacobian)
    {
        int n = values.Length, f = FeatureCount, p = ParameterCount;
        Span<double> point = stackalloc double[f];
        Span<double> gradient = stackalloc double[jacobian.IsEmpty ? 0 : p];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < f; k++) point[k] = featureColumns[k * n + i];
            values[i] = LogValue(theta, point, gradient);
            for (int j = 0; j < gradient.Length; j++) jacobian[j * n + i] = gradient[j];
        }
    }

    /// <summary>The index of the parameter called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No parameter has that name.</exception>
    public int IndexOf(string name)
    {
        for (int i = 0; i < parameters.Length; i++) if (parameters[i].Name == name) return i;
        throw new ArgumentException($"{Name} has no parameter '{name}'; its parameters are {string.Join(", ", parameters.Select(p => p.Name))}.", nameof(name));
    }

    /// <summary>Fit-space values θ of natural parameter values p (θ = log p for positive parameters).</summary>
    /// <exception cref="ArgumentException">Wrong length, or a positive parameter is not positive.</exception>
    public double[] ToFitSpace(ReadOnlySpan<double> natural)
    {
        CheckLength(natural.Length, nameof(natural));
        var theta = new double[parameters.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            if (parameters[i].Positive && !(natural[i] > 0))
                throw new ArgumentOutOfRangeException(nameof(natural), natural[i], $"{parameters[i].Name} must be positive.");
            theta[i] = parameters[i].Positive ? Math.Log(natural[i]) : natural[i];
        }
        return theta;
    }

    /// <summary>Natural parameter values p of fit-space values θ (p = exp θ for positive parameters).</summary>
    public double[] FromFitSpace(ReadOnlySpan<double> theta)
    {
        CheckLength(theta.Length, nameof(theta));
        var natural = new double[parameters.Length];
        for (int i = 0; i < natural.Length; i++) natural[i] = parameters[i].Positive ? Math.Exp(theta[i]) : theta[i];
        return natural;
    }

    /// <summary>The predicted loss L(x; p) at natural parameters <paramref name="natural"/> and raw inputs.</summary>
    public double Predict(ReadOnlySpan<double> natural, ReadOnlySpan<double> inputs)
    {
        if (inputs.Length != InputCount)
            throw new ArgumentException($"{Name} takes {InputCount} input(s) ({string.Join(", ", this.inputs)}); got {inputs.Length}.", nameof(inputs));
        Span<double> features = stackalloc double[FeatureCount];
        Prepare(inputs, features);
        return Math.Exp(LogValue(ToFitSpace(natural), features, []));
    }

    /// <summary>The predicted loss L(x; θ) at fit-space values <paramref name="theta"/> and raw inputs (no round trip
    /// through natural values, so a positive parameter whose natural value underflows to 0 still predicts).</summary>
    public double PredictFromFitSpace(ReadOnlySpan<double> theta, ReadOnlySpan<double> inputs)
    {
        CheckLength(theta.Length, nameof(theta));
        if (inputs.Length != InputCount)
            throw new ArgumentException($"{Name} takes {InputCount} input(s) ({string.Join(", ", this.inputs)}); got {inputs.Length}.", nameof(inputs));
        Span<double> features = stackalloc double[FeatureCount];
        Prepare(inputs, features);
        return Math.Exp(LogValue(theta, features, []));
    }

    void CheckLength(int length, string name)
    {
        if (length != parameters.Length)
            throw new ArgumentException($"{Name} has {parameters.Length} parameters ({string.Join(", ", parameters.Select(p => p.Name))}); got {length} values.", name);
    }

    /// <summary>Throws unless an input is positive and finite.</summary>
    protected static double PositiveInput(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"input {name} must be positive and finite.");

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Formula}";
}
