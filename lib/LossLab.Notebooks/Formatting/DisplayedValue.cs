namespace LossLab.Notebooks.Formatting;

/// <summary>A value shown by <c>display(...)</c>; <see cref="Update"/> replaces the output in place (for progress displays).</summary>
public sealed class DisplayedValue
{
    readonly IDisplaySink? sink;
    readonly int handle;
    readonly string[] mimeTypes;

    internal DisplayedValue(IDisplaySink? sink, int handle, string[] mimeTypes)
    {
        this.sink = sink;
        this.handle = handle;
        this.mimeTypes = mimeTypes;
    }

    /// <summary>Replaces the displayed output with <paramref name="value"/>.</summary>
    public void Update(object? value) => sink?.Replace(handle, Formatter.Format(value, mimeTypes));
}
