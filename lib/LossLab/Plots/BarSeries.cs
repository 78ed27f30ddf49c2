namespace LossLab.Plots;

/// <summary>A named group of bars, one value per category, with optional symmetric error bars (± error).</summary>
public sealed record BarSeries
{
    /// <summary>A bar group; <paramref name="errors"/>, when given, has one non-negative entry per value.</summary>
    public BarSeries(string name, IReadOnlyList<double> values, IReadOnlyList<double>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (errors is not null && errors.Count != values.Count)
            throw new ArgumentException($"errors must have one entry per value: bar series '{name}' has {values.Count} values and {errors.Count} errors.", nameof(errors));
        if (errors is not null && errors.Any(e => !(e >= 0)))
            throw new ArgumentOutOfRangeException(nameof(errors), $"errors of bar series '{name}' must be non-negative.");
        Name = name;
        Values = values;
        Errors = errors;
    }

    /// <summary>The legend entry.</summary>
    public string Name { get; }

    /// <summary>Bar heights, one per category.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Half-lengths of the error bars, or null for none.</summary>
    public IReadOnlyList<double>? Errors { get; }
}
