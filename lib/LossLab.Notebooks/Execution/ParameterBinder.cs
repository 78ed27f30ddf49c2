using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LossLab.Notebooks.Execution;

/// <summary>A parameter with the value a run gives it.</summary>
public sealed record BoundParameter(NotebookParameter Parameter, object Value, string Source);

/// <summary>Checks given values against the declared parameters and converts them to the declared types. Every problem
/// (unknown name, wrong type) is reported together, before any cell runs.</summary>
public static class ParameterBinder
{
    /// <summary>The overridden parameters, last value winning, in declaration order.</summary>
    public static IReadOnlyList<BoundParameter> Bind(IReadOnlyList<NotebookParameter> declared, IReadOnlyList<string> unsupported, ParameterOverrides overrides)
    {
        var problems = new List<string>();
        var bound = new Dictionary<string, BoundParameter>(StringComparer.Ordinal);
        foreach (var (name, raw, source) in overrides.Items)
        {
            var parameter = declared.FirstOrDefault(p => p.Name == name);
            if (parameter is null)
            {
                problems.Add(unsupported.Contains(name)
                    ? $"{source} {name}: the parameters cell declares '{name}' with a type that cannot be set from outside (use bool, int, long, double, string or an array of these)."
                    : $"{source} {name}: unknown parameter '{name}'. " + (declared.Count == 0
                        ? "The notebook has no parameters cell (a code cell tagged \"parameters\")."
                        : $"Declared: {string.Join(", ", declared.Select(p => $"{p.Name} ({p.Type})"))}."));
                continue;
            }
            try { bound[name] = new BoundParameter(parameter, Convert(raw, parameter.Type), source); }
            catch (FormatException e) { problems.Add($"{source} {name}: {e.Message}"); }
        }
        if (problems.Count > 0) throw new ParameterException(string.Join(Environment.NewLine, problems));
        return declared.Where(p => bound.ContainsKey(p.Name)).Select(p => bound[p.Name]).ToList();
    }

    /// <summary>Converts a raw value (text or list) to <paramref name="type"/>; a <see cref="FormatException"/> says why not.</summary>
    public static object Convert(object raw, ParameterType type)
    {
        if (!type.IsArray)
        {
            if (raw is not string text) throw new FormatException($"expects a {type}, got a list.");
            return Scalar(text, type.Kind, type);
        }
        var list = raw switch
        {
            List<object> l => l,
            string s when s.TrimStart().StartsWith('[') => FlowList(s),
            string s when s.Trim().Length == 0 => [],
            string s => s.Split(',').Select(x => (object)x.Trim()).ToList(),
            _ => throw new FormatException($"expects a {type}."),
        };
        var scalars = list.Select(item => item is string t ? Scalar(t, type.Kind, type) : throw new FormatException($"expects a {type}, got a nested list.")).ToList();
        return type.Kind switch
        {
            ParameterKind.Bool => scalars.Cast<bool>().ToArray(),
            ParameterKind.Int => scalars.Cast<int>().ToArray(),
            ParameterKind.Long => scalars.Cast<long>().ToArray(),
            ParameterKind.Double => scalars.Cast<double>().ToArray(),
            _ => (object)scalars.Cast<string>().ToArray(),
        };
    }

    static List<object> FlowList(string text)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlDotNet.Core.YamlException e) { throw new FormatException($"cannot read the list '{text}': {e.Message}"); }
        return stream.Documents[0].RootNode is YamlSequenceNode seq
            ? seq.Children.Select(c => ParameterOverrides.Raw(c, "list")).ToList()
            : throw new FormatException($"cannot read the list '{text}'.");
    }

    static object Scalar(string text, ParameterKind kind, ParameterType type)
    {
        var t = text.Trim();
        switch (kind)
        {
            case ParameterKind.Bool:
                if (bool.TryParse(t, out var b)) return b;
                break;
            case ParameterKind.Int:
                if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) return i;
                break;
            case ParameterKind.Long:
                if (long.TryParse(t.TrimEnd('L', 'l'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
                break;
            case ParameterKind.Double:
                if (t is ".nan" or ".NaN" or "nan" or "NaN") return double.NaN;
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    // A finite-looking number that overflows (1e400) is an error; infinity only when written as such.
                    if (!double.IsFinite(d) && !t.TrimStart('+', '-').StartsWith("Infinity", StringComparison.Ordinal))
                        throw new FormatException($"expects a finite {type} (write inf or nan for non-finite values), got '{text}', which is out of range.");
                    return d;
                }
                if (t is ".inf" or "inf" or "+.inf" or "Infinity") return double.PositiveInfinity;
                if (t is "-.inf" or "-inf" or "-Infinity") return double.NegativeInfinity;
                break;
            default:
                return text;
        }
        throw new FormatException($"expects {(type.IsArray ? $"a list of {kind.ToString().ToLowerInvariant()}" : $"a {type}")}, got '{text}'.");
    }
}
