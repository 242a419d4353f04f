namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// Tests that need a part this machine may lack (PostgreSQL, Chromium) skip with the reason on a
/// developer's machine, and fail under CI=true, where the part must be there.
/// </summary>
internal static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void SkipOrFail(string reason)
    {
        if (InCi)
        {
            Assert.Fail("CI=true, so this cannot be skipped: " + reason);
        }

        Assert.Skip(reason);
    }
}
