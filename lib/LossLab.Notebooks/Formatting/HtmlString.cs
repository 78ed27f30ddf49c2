namespace LossLab.Notebooks.Formatting;

/// <summary>Text that is already HTML: displayed as text/html unchanged (<c>HTML("&lt;b&gt;hi&lt;/b&gt;")</c>).</summary>
public sealed record HtmlString(string Html)
{
    /// <inheritdoc/>
    public override string ToString() => Html;
}
