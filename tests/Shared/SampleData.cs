namespace HospitalFed.Tests;

/// <summary>Locates samples/heart-disease from the test output directory.</summary>
internal static class SampleData
{
    public static string HeartDiseaseDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "heart-disease");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("samples/heart-disease not found above the test directory.");
        }
    }
}
