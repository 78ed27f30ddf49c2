namespace LossLab.Experiments;

/// <summary>The scale a notebook runs at: <see cref="Smoke"/> proves that it runs (seconds, decides no claim),
/// <see cref="Default"/> is the suite on a CPU (about a minute per notebook on two cores), <see cref="Paper"/> the papers'
/// sizes (for a GPU). A notebook parses its string <c>Scale</c> parameter once, in its parameters' first use, with
/// <see cref="RunScales.Parse"/>, and chooses every size with <see cref="RunScales.Pick{T}"/>, which takes all three
/// presets, so that no size silently falls back to another scale's value.</summary>
public enum RunScale
{
    /// <summary>Seconds: the notebook runs end to end; every claim is not-run.</summary>
    Smoke,
    /// <summary>The suite's scale on a CPU.</summary>
    Default,
    /// <summary>The papers' sizes.</summary>
    Paper,
}

/// <summary>Parsing and per-scale choices for <see cref="RunScale"/>.</summary>
public static class RunScales
{
    /// <summary>The scale names as written in a notebook's <c>Scale</c> parameter and on the command line.</summary>
    public static IReadOnlyList<string> Names { get; } = ["smoke", "default", "paper"];

    /// <summary>Parses <c>smoke</c>, <c>default</c> or <c>paper</c> (exactly, lower case, as <c>--scale</c> takes them).</summary>
    /// <exception cref="ArgumentException">Any other text, named in the message: a typo must not run as another scale.</exception>
    public static RunScale Parse(string scale) => TryParse(scale, out var parsed) ? parsed
        : throw new ArgumentException($"Scale = \"{scale}\": the scale must be \"smoke\", \"default\" or \"paper\".", nameof(scale));

    /// <summary>Parses <paramref name="scale"/> as <see cref="Parse"/> does; false for any other text.</summary>
    public static bool TryParse(string? scale, out RunScale parsed)
    {
        (bool ok, parsed) = scale switch
        {
            "smoke" => (true, RunScale.Smoke),
            "default" => (true, RunScale.Default),
            "paper" => (true, RunScale.Paper),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The name of <paramref name="scale"/> as <see cref="Parse"/> reads it.</summary>
    public static string Name(this RunScale scale) => scale switch
    {
        RunScale.Smoke => "smoke",
        RunScale.Default => "default",
        RunScale.Paper => "paper",
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "not a scale."),
    };

    /// <summary>The value for <paramref name="scale"/>: one preset per scale, all three required.</summary>
    public static T Pick<T>(this RunScale scale, T smoke, T @default, T paper) => scale switch
    {
        RunScale.Smoke => smoke,
        RunScale.Default => @default,
        RunScale.Paper => paper,
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "not a scale."),
    };

    /// <summary>True at smoke scale.</summary>
    public static bool IsSmoke(this RunScale scale) => scale == RunScale.Smoke;
}
