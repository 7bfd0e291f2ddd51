"use client";
import { useMutation } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { signInAndOpen } from "@/components/auth-client";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Field, firstErrors } from "@/components/ui/field";
import { Input, Label } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH, passwordSchema, personNameSchema } from "@/lib/people";
import { homePath } from "@/lib/routes";

const acceptForm = z
  .object({ name: personNameSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

export function AcceptInvitation({ token, email, existingAccount }: { token: string; email: string; existingAccount: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.members.acceptInvitation.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const pending = accept.isPending || signingIn;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    if (existingAccount) {
      try {
        await accept.mutateAsync({ token });
      } catch (error) {
        setFailure(error instanceof Error ? error.message : "Could not accept the invitation. Try again.");
        return;
      }
      router.replace(homePath);
      router.refresh();
      return;
    }
    const parsed = acceptForm.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    try {
      await accept.mutateAsync({ token, name: parsed.data.name, password: parsed.data.password });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : "Could not accept the invitation. Try again.");
      return;
    }
    setSigningIn(true);
    await signInAndOpen(router, { email, password: parsed.data.password }, homePath);
  }

  return (
    <Card>
      <CardContent className="py-6">
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <div className="space-y-1.5">
            <Label htmlFor="invited-email">Email</Label>
            <Input id="invited-email" value={email} readOnly disabled autoComplete="username" />
          </div>
          {existingAccount ? null : (
            <>
              <Field id="name" label="Your name" autoComplete="name" required autoFocus error={errors.name} />
              <Field
                id="password"
                label="Password"
                type="password"
                autoComplete="new-password"
                required
                hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
                error={errors.password}
              />
              <Field id="confirm" label="Confirm password" type="password" autoComplete="new-password" required error={errors.confirm} />
            </>
          )}
          <p role="alert" className="min-h-5 text-sm text-red-700">
            {failure}
          </p>
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            {existingAccount ? "Join the company" : "Accept and sign in"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
