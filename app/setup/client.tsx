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
import { companyNameSchema, emailSchema, PASSWORD_MIN_LENGTH, passwordSchema, personNameSchema } from "@/lib/people";

const setupForm = z
  .object({ companyName: companyNameSchema, name: personNameSchema, email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

export function SetupForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const create = useMutation(trpc.setup.create.mutationOptions());
  const [signingIn, setSigningIn] = useState(false);
  const pending = create.isPending || signingIn;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget));
    const parsed = setupForm.safeParse(form);
    setFailure(null);
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    const { confirm: _confirm, ...input } = parsed.data;
    try {
      await create.mutateAsync(input);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : "Setup failed. Try again.");
      return;
    }
    setSigningIn(true);
    await signInAndOpen(router, { email: input.email, password: input.password }, "/settings/members?welcome=1");
  }

  return (
    <Card>
      <CardContent className="py-6">
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <Field id="companyName" label="Company name" autoComplete="organization" required autoFocus error={errors.companyName} />
          <Field id="name" label="Your name" autoComplete="name" required error={errors.name} />
          <Field id="email" label="Email" type="email" autoComplete="username" required error={errors.email} />
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
          <p role="alert" className="min-h-5 text-sm text-red-700">
            {failure}
          </p>
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Create company and admin
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
