namespace Conveyor.Testing;

/// <summary>The checkout's root (the folder holding Conveyor.slnx), for tests that read project files or run scripts.</summary>
public static class RepositoryRoot
{
    /// <summary>The root's full path, found by walking up from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Conveyor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Conveyor.slnx) above " + AppContext.BaseDirectory);
    }
}
