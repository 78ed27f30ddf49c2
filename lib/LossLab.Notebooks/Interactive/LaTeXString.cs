namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>LaTeX to display: a <c>text/latex</c> output holding the text as written, as .NET Interactive shows it.</summary>
public class LaTeXString(string latexCode)
{
    readonly string latex = latexCode ?? throw new ArgumentNullException(nameof(latexCode));

    /// <summary>The LaTeX text.</summary>
    public override string ToString() => latex;

    /// <summary>Makes a <see cref="LaTeXString"/> of <paramref name="latexCode"/>.</summary>
    public static implicit operator LaTeXString(string latexCode) => new(latexCode);
}

/// <summary>Display math (older .NET Interactive versions): a <c>text/latex</c> output with the formula between <c>$$</c>.</summary>
public class MathString(string latexCode) : LaTeXString(latexCode)
{
    /// <summary>The formula between <c>$$</c>.</summary>
    public override string ToString() => $"$${base.ToString()}$$";

    /// <summary>Makes a <see cref="MathString"/> of <paramref name="latexCode"/>.</summary>
    public static implicit operator MathString(string latexCode) => new(latexCode);
}
