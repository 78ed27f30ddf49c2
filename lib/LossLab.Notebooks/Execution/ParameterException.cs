namespace LossLab.Notebooks.Execution;

/// <summary>A parameter problem found before any cell runs: an unknown name, a value of the wrong type, or a parameters
/// cell the engine cannot read.</summary>
public sealed class ParameterException(string message) : Exception(message);
