using System.Text.RegularExpressions;

namespace LossLab.Cli.Commands;

/// <summary>papermill's parameterised output paths: <c>--out 'artifacts/lr-{LearningRate}'</c> puts each <c>{NAME}</c>'s
/// value from -p/-y/-b/-f (or <c>{Scale}</c> from --scale), made filename-safe, into the path, so two runs with different
/// values do not overwrite each other.</summary>
public static partial class OutputTemplate
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    /// <summary><paramref name="template"/> with each <c>{NAME}</c> replaced by its value in <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A <c>{NAME}</c> has no value; the message names it and the names given.</exception>
    public static string Expand(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value.Trim();
            if (!values.TryGetValue(name, out var value))
                throw new ArgumentException($"--out {template}: {{{name}}} is not a parameter of this run (given: {(values.Count == 0 ? "none" : string.Join(", ", values.Keys.Order(StringComparer.Ordinal)))}).");
            return LossLab.Notebooks.Execution.PathSegment.Safe(value);
        });

    /// <summary>The values the run sets, by name: -f, -y/-b and -p in papermill's precedence (a later one wins), and Scale
    /// from --scale unless -p sets it. A list value is written with its items joined by ','.</summary>
    public static IReadOnlyDictionary<string, string> Values(RunSettings settings)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.Scale is not null) values["Scale"] = settings.Scale;
        foreach (var (name, raw, _) in settings.Overrides().Items)
            values[name] = raw is string s ? s : raw is System.Collections.IEnumerable e ? string.Join(",", e.Cast<object?>()) : Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return values;
    }
}
