namespace LossLab.Notebooks.Formatting;

/// <summary>Where displayed values go while a cell runs. The kernel sets <see cref="DisplaySink.Current"/> around each cell (cells run one
/// at a time); outside a cell, displays are dropped.</summary>
public interface IDisplaySink
{
    /// <summary>Adds a display output and returns its handle.</summary>
    int Add(MimeBundle bundle);

    /// <summary>Replaces the display output with handle <paramref name="handle"/>.</summary>
    void Replace(int handle, MimeBundle bundle);
}

/// <summary>The current display sink.</summary>
public static class DisplaySink
{
    static volatile IDisplaySink? current;

    /// <summary>The sink of the running cell, or null.</summary>
    public static IDisplaySink? Current { get => current; set => current = value; }
}
