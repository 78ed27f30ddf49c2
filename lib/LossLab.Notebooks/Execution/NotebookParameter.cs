namespace LossLab.Notebooks.Execution;

/// <summary>One parameter declared in a notebook's <c>parameters</c> cell: name, type, the default as written, and the comment on its line.</summary>
public sealed record NotebookParameter(string Name, ParameterType Type, string DefaultText, string Comment, int Line);
