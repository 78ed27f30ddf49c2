namespace LossLab.Notebooks.Tests;

/// <summary>Tests that run cells share the process-wide console and working directory, so they run one at a time.</summary>
[CollectionDefinition("Engine", DisableParallelization = true)]
public sealed class EngineCollection;
